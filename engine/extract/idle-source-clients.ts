// Keeps a Postgres source connection open a short while after an extract is done with it, for the
// next extract of the same source (a tenant's datasets fall due together): it skips the connect,
// the sign-in and a new server process warming its catalog caches, most of what a run that finds
// nothing new costs. Only a connection left idle (no transaction, no COPY) is kept.
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type pg from 'pg';
import type { EngineContext } from '../engine-context';

/** Short enough not to hold a customer's connection slot for long. */
export const SOURCE_IDLE_MS = 30_000;
const MAX_IDLE_PER_SOURCE = 2;

interface IdleClient {
  client: pg.Client;
  timer: NodeJS.Timeout;
  onEnd: () => void;
}

const idleClients = new WeakMap<EngineContext, Map<string, IdleClient[]>>();

/** Connections are shared only between identical configurations (a changed one starts afresh). */
export function sourceClientKey(sourceId: string, config: unknown): string {
  return `${sourceId}:${createHash('sha256').update(JSON.stringify(config)).digest('hex')}`;
}

/** An idled connection wakes the process no more than a closed one would. */
const socketOf = (client: pg.Client) => client.connection.stream as Socket;

/** A kept connection of this source that still answers, or null. */
export async function takeIdleClient(
  engine: EngineContext,
  key: string,
): Promise<pg.Client | null> {
  const idle = idleClients.get(engine)?.get(key);
  while (idle?.length) {
    const { client, timer, onEnd } = idle.pop()!;
    clearTimeout(timer);
    client.removeListener('end', onEnd);
    socketOf(client).ref?.();
    try {
      await client.query('select 1');
      return client;
    } catch {
      await client.end().catch(() => {});
    }
  }
  return null;
}

/** Keeps an idle connection for SOURCE_IDLE_MS (or closes it, when enough are kept). */
export async function keepIdleClient(
  engine: EngineContext,
  key: string,
  client: pg.Client,
): Promise<void> {
  let bySource = idleClients.get(engine);
  if (!bySource) idleClients.set(engine, (bySource = new Map()));
  const idle = bySource.get(key) ?? [];
  if (idle.length >= MAX_IDLE_PER_SOURCE) {
    await client.end().catch(() => {});
    return;
  }
  bySource.set(key, idle);
  const forget = () => {
    const index = idle.indexOf(entry);
    if (index >= 0) idle.splice(index, 1);
    if (!idle.length && bySource.get(key) === idle) bySource.delete(key);
  };
  const entry: IdleClient = {
    client,
    timer: setTimeout(() => {
      forget();
      client.end().catch(() => {});
    }, SOURCE_IDLE_MS).unref(),
    // Closed by the server meanwhile (a restart, pg_terminate_backend): forgotten at once.
    onEnd: forget,
  };
  client.once('end', entry.onEnd);
  socketOf(client).unref?.();
  idle.push(entry);
}
