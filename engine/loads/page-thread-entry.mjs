// The load thread's entry (see page-thread-client.ts). The engine runs TypeScript under tsx, whose
// loader a worker thread does not inherit on every Node version: tsx imports the thread's code
// under a loader of its own, which works whether or not one is inherited.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { PageThreadState, servePageThread } = await tsImport('./page-thread.ts', import.meta.url);
const state = new PageThreadState();
servePageThread(parentPort, state);

// Every request's failure is answered. A failure outside any request would end the thread at once,
// possibly under DuckDB's native work, which aborts the whole process: the thread tells the engine
// why, stops as a stop request would (its readers' work finished first), and ends; the engine's
// next load starts another.
let failing = false;
async function failed(error) {
  if (failing) return;
  failing = true;
  parentPort.postMessage({
    id: 0,
    ok: false,
    fatal: true,
    message: error instanceof Error ? error.message : String(error),
  });
  await state.handle({ kind: 'stop' }).catch(() => {});
  process.exit(1);
}
process.on('uncaughtException', failed);
process.on('unhandledRejection', failed);
