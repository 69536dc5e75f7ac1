import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints the WAL. */
const INTERVAL_MS = 100;
/**
 * WAL pages past which a commit checkpoints by itself after all (SQLite's default is 1,000): only
 * if the thread cannot keep up, or is gone.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000;

// The thread's code: CommonJS, as `eval` workers run it; better-sqlite3 by its resolved path.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // Busy (another checkpoint runs) or the file is going away: the next tick tries again.
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop. SQLite runs a checkpoint inside the commit that takes the WAL
 * past `wal_autocheckpoint` pages: the WAL is copied back into the database file and the file is
 * synced while the whole process waits (5 to 20 ms on the development VM, several times a second
 * under load, which made the latency tail). A worker thread with a connection of its own runs
 * PASSIVE checkpoints every 100 ms instead: they neither wait for nor block readers and writers, so
 * commits stay short; connections keep a far higher autocheckpoint as a fallback.
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(file: string) {
    this.#worker = new Worker(THREAD, {
      eval: true,
      workerData: {
        file,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: INTERVAL_MS,
      },
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    // A failing thread costs only its checkpoints: commits fall back to their own.
    this.#worker.on('error', () => {});
    // Never what keeps a process alive.
    this.#worker.unref();
  }

  /** Stops the thread and closes its connection. */
  async stop(): Promise<void> {
    this.#worker.postMessage('stop');
    const timer = setTimeout(() => void this.#worker.terminate(), 2_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
