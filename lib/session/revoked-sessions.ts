// Sessions ended by signing out: their tokens stay signed until they expire, so the app remembers
// them until then. Kept per app process (on globalThis, which the proxy and the server share); see
// the README's Decisions.
type Revoked = Map<string, number>;

const KEY = Symbol.for('inlet.revokedSessions');
const store = globalThis as typeof globalThis & { [KEY]?: Revoked };

function revoked(): Revoked {
  store[KEY] ??= new Map();
  return store[KEY];
}

/**
 * `exp`: the token's own expiry (seconds since the epoch), after which it is refused anyway and
 * forgotten here.
 */
export function revokeSession(sid: string, exp: number): void {
  const map = revoked();
  const now = Date.now() / 1000;
  for (const [id, until] of map) if (until <= now) map.delete(id);
  map.set(sid, exp);
}

export function isSessionRevoked(sid: string): boolean {
  const until = revoked().get(sid);
  return until !== undefined && until > Date.now() / 1000;
}
