// The load thread's entry (see page-thread-client.ts). The engine runs TypeScript under tsx, whose loader a worker
// thread does not inherit on every Node version: tsx imports the thread's code under a loader of its own, which works
// whether or not one is inherited.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { servePageThread } = await tsImport('./page-thread.ts', import.meta.url);
servePageThread(parentPort);
