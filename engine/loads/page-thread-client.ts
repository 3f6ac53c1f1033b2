// The load thread, seen from the engine: one worker thread per process, started on first use (or
// when the job runner starts) and kept, since starting one (with its TypeScript loader) takes about
// a second. Loads open readers in it and pull transformed pages one at a time; the thread reads the
// next page while the engine sends this one.
import { Worker } from 'node:worker_threads';
import { JobFailure } from '../jobs/job-failure';
import type { PageSource, ReaderSpec, ThreadPage, ThreadReply, ThreadRequest } from './page-thread';

export type { PageSource, ReaderSpec, ThreadPage } from './page-thread';

/** A load's reader in the thread. */
export interface ThreadReader {
  /** The next page of `source`: for `changed`, null once the range is read. */
  page(source: PageSource): Promise<ThreadPage | null>;
  close(): Promise<void>;
}

interface Pending {
  worker: Worker;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class PageThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Starts the thread now rather than at the first load. */
  warm(): void {
    this.running();
  }

  async open(spec: ReaderSpec): Promise<ThreadReader> {
    // A reader lives in the thread that opened it: once that one is gone, so is the reader.
    const worker = this.running();
    const reader = (await this.call(worker, { kind: 'open', spec })) as number;
    let closed = false;
    return {
      page: (source) =>
        this.call(worker, { kind: 'page', reader, source }) as Promise<ThreadPage | null>,
      close: async () => {
        if (closed) return;
        closed = true;
        if (this.worker === worker)
          await this.call(worker, { kind: 'close', reader }).catch(() => {});
      },
    };
  }

  /**
   * Stops the thread once its readers are closed (DuckDB's work in flight finished: a thread
   * terminated under it aborts the process); what its loads ask for from then on fails, and the
   * next load starts another thread.
   */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    await this.send(worker, { kind: 'stop' }).catch(() => {});
    await worker.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./page-thread-entry.mjs', import.meta.url));
    // An idle thread does not keep the process alive; one with requests in flight does (see call).
    worker.unref();
    // Whatever was asked of a thread that failed or stopped fails with it; the next request starts
    // another.
    const failed = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, pending] of this.pending) {
        if (pending.worker !== worker) continue;
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('message', (reply: ThreadReply) => {
      if ('fatal' in reply) {
        failed(new Error(`The load thread failed: ${reply.message}`));
        return;
      }
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (![...this.pending.values()].some((other) => other.worker === worker)) worker.unref();
      if (reply.ok) pending.resolve(reply.value);
      // A load error the thread named (a stream too slow to transform) fails the load with its
      // code, blame and title.
      else
        pending.reject(
          reply.failure
            ? new JobFailure(
                reply.failure.blame,
                reply.failure.code,
                reply.failure.title,
                reply.message,
              )
            : new Error(reply.message),
        );
    });
    worker.on('error', (error) => failed(new Error(`The load thread failed: ${error.message}`)));
    worker.on('exit', (code) => failed(new Error(`The load thread stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private call(worker: Worker, request: ThreadRequest): Promise<unknown> {
    if (worker !== this.worker)
      return Promise.reject(
        new Error('The load thread stopped while the load was reading; run the load again.'),
      );
    return this.send(worker, request);
  }

  private send(worker: Worker, request: ThreadRequest): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.ref();
      worker.postMessage({ id, request });
    });
  }
}

/** The process's load thread, shared by every engine in it. */
export const pageThread = new PageThread();
