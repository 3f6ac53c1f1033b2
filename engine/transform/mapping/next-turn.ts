// Lets the engine's event loop answer other requests between slices of preview work. Every preview in progress
// waits in one queue and one slice runs per turn of the event loop, so however many previews run at once, another
// request waits for at most one slice.
const waiting: (() => void)[] = [];
let scheduled = false;

/** Resolves on a later turn of the event loop, after the slices queued before it. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

function schedule(): void {
  if (scheduled || waiting.length === 0) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    // The waiter's slice runs once this callback returns; the next waiter's, on the following turn.
    waiting.shift()!();
    schedule();
  });
}
