// The load thread's entry (see page-thread-client.ts). A worker thread does not inherit the tsx loader the engine
// runs under, so it registers it before importing the TypeScript that does the work.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { servePageThread } = await import('./page-thread.ts');
servePageThread(parentPort);
