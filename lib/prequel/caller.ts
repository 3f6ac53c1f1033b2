// Whom an Import API call is made for: set around a customer's action or route, read by the client,
// which tells the API (ext `X-Inlet-Provider`) so that the engine can keep a rate-limit bucket per
// tenant beside the key's.
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

export type Caller = { providerId: string };

const storage = new AsyncLocalStorage<Caller>();

export function callFor<T>(caller: Caller, work: () => Promise<T>): Promise<T> {
  return storage.run(caller, work);
}

export function currentCaller(): Caller | undefined {
  return storage.getStore();
}
