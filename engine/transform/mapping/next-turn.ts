// Lets the engine's event loop answer other requests between slices of preview work. Every preview
// in progress waits in one queue and one slice runs at a time, after a pause in proportion to the
// slice before it: a request needs several turns of the loop (its socket, the database, the reply),
// and a pause lets it take them all at once instead of one per slice. However many previews run,
// another request waits for about one slice.
const waiting: (() => void)[] = [];
let scheduled = false;
/** Whether a waiter's slice is running (from its turn until it asks for the next or is done). */
let running = false;
let sliceStarted = 0;
let lastSliceMilliseconds = 0;

/**
 * A tenth of the last slice, up to 20 ms: about nothing for quick previews, about 10% of the time
 * of slow ones.
 */
const pauseFraction = 0.1;
const maxPauseMilliseconds = 20;

/**
 * Resolves once the slices queued before it have run, after a pause that leaves the loop to other
 * work.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    sliceEnded();
    waiting.push(resolve);
    schedule();
  });
}

function sliceEnded(): void {
  if (!running) return;
  running = false;
  lastSliceMilliseconds = performance.now() - sliceStarted;
}

function schedule(): void {
  if (scheduled || waiting.length === 0) return;
  scheduled = true;
  setTimeout(
    () => {
      scheduled = false;
      running = true;
      sliceStarted = performance.now();
      waiting.shift()!();
      // Runs once the waiter's slice has (its continuation was queued first): that slice usually
      // asked for its next turn, which ended it and scheduled the next waiter; if it was its
      // preview's last, this does both.
      queueMicrotask(() => {
        sliceEnded();
        schedule();
      });
    },
    Math.min(maxPauseMilliseconds, lastSliceMilliseconds * pauseFraction),
  );
}
