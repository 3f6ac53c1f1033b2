// Pipelining for a load: the next item is being produced while the consumer works on the current one.

/** Iterates `source` one item ahead of the consumer. */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (let current = await next; !current.done; current = await next) {
      next = iterator.next();
      yield current.value;
    }
  } finally {
    // The consumer stopped early: the item produced ahead is dropped (its failure too) and the source closed.
    next.catch(() => {});
    await iterator.return?.();
  }
}
