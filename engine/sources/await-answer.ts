// A probe's wait for a server's first answer on a fresh socket, which then stays open (paused) for
// a TLS upgrade.
import type net from 'node:net';

/**
 * `listen` attaches the socket's listeners and calls `done` with the answer; after `timeoutMs` the
 * answer is null. Whichever comes first, the listeners are removed and the socket is paused, so the
 * next reader starts clean.
 */
export function awaitAnswer<T>(
  socket: net.Socket,
  timeoutMs: number,
  listen: (done: (value: T | null) => void) => void,
): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    function done(value: T | null) {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.pause();
      resolve(value);
    }
    listen(done);
  });
}
