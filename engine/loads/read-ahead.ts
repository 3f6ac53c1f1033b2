// Pipelining for a load: the next item is being produced while the consumer works on the current
// one.

/** Iterates `source` one item ahead of the consumer. */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  // An item produced ahead may fail while the consumer is still busy: that is reported when the
  // consumer gets to it (or dropped, if it never does), not as an unhandled rejection in between.
  const ahead = () => {
    const item = iterator.next();
    item.catch(() => {});
    return item;
  };
  let next = ahead();
  try {
    for (let current = await next; !current.done; current = await next) {
      next = ahead();
      yield current.value;
    }
  } finally {
    // The consumer stopped early: the item produced ahead is dropped (its failure too) and the
    // source closed.
    next.catch(() => {});
    await iterator.return?.();
  }
}
