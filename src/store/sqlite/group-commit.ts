import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/**
 * Group commit for the SQLite store: the writes asked for during one event-loop turn run together,
 * in one transaction, at the end of that turn (setImmediate), and each one's promise settles once
 * that transaction has committed. A commit costs far more than a one-row write (WAL frames for every
 * page touched, each index's included), and the writes of concurrent publishes and deliveries touch
 * the same pages, so under load hundreds of commits a second become a few dozen.
 *
 * Writes run in the order asked, and a write that throws (a constraint, say) undoes only itself and
 * rejects only its own promise: a write of several statements runs inside a savepoint (`run`); a
 * write of one statement (`statement`) needs none, as SQLite undoes a failed statement by itself. The write lock is held only while the batch
 * runs, never across a turn, so another connection (another process, or a second one in this
 * process) waits no longer than it did for single writes. And waiting for that lock does not block
 * this process: while another connection holds it, the batch is tried again a millisecond later
 * (the event loop goes on meanwhile), up to the connection's busy timeout; only then does a flush
 * wait inside SQLite, as `flush()` (closing the store) always does. Reads see committed data only; every
 * caller awaits its write before reading what it wrote.
 */
export class GroupCommit {
  /** The one GroupCommit of a connection: every store on it shares it (one transaction at a time). */
  static of(db: Db): GroupCommit {
    let instance = instances.get(db);
    if (!instance) {
      instance = new GroupCommit(db);
      instances.set(db, instance);
    }
    return instance;
  }

  readonly #db: Db;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackTo: Statement;
  readonly #busyTimeoutMs: number;
  #queue: Write[] = [];
  #scheduled = false;
  /** When the write lock was first found taken by another connection, for the batch now queued. */
  #busySince: number | null = null;

  private constructor(db: Db) {
    this.#db = db;
    // IMMEDIATE: the write lock is taken (or waited for, up to busy_timeout) before any write runs.
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#savepoint = db.prepare('SAVEPOINT group_write');
    this.#release = db.prepare('RELEASE group_write');
    this.#rollbackTo = db.prepare('ROLLBACK TO group_write');
    this.#busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
  }

  /** Runs `write` at the end of this turn, with the turn's other writes; resolves once committed. */
  run<T>(write: () => T): Promise<T> {
    return this.#enqueue(write, true);
  }

  /**
   * `run` for a write that is a single SQL statement: no savepoint around it (two statements less
   * per write, a fifth of a busy store's SQLite time).
   */
  statement<T>(write: () => T): Promise<T> {
    return this.#enqueue(write, false);
  }

  #enqueue<T>(write: () => T, savepoint: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flushWhenFree());
      }
      this.#queue.push({ write, savepoint, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** The scheduled flush: takes the write lock if it is free, or comes back in a millisecond. */
  #flushWhenFree(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    let began: boolean;
    try {
      began = this.#tryBegin();
    } catch (err) {
      this.#busySince = null;
      this.#rejectQueued(err);
      return;
    }
    if (!began) {
      const now = performance.now();
      this.#busySince ??= now;
      if (now - this.#busySince < this.#busyTimeoutMs) {
        this.#scheduled = true;
        setTimeout(() => this.#flushWhenFree(), 1);
        return;
      }
    }
    this.#busySince = null;
    this.#runQueued(began);
  }

  /** BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. */
  #tryBegin(): boolean {
    // Not prepared once: SQLite applies this pragma when it is prepared (about 6 µs each).
    this.#db.pragma('busy_timeout = 0');
    try {
      this.#begin.run();
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw err;
    } finally {
      this.#db.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
    }
  }

  #rejectQueued(err: unknown): void {
    const batch = this.#queue;
    this.#queue = [];
    for (const w of batch) w.reject(err);
  }

  /**
   * Runs and commits the queued writes now, waiting for the write lock up to the busy timeout (also
   * before the connection closes).
   */
  flush(): void {
    this.#runQueued(false);
  }

  /** `began`: the transaction is already open. */
  #runQueued(began: boolean): void {
    if (this.#queue.length === 0) return;
    if (!began) {
      try {
        this.#begin.run();
      } catch (err) {
        this.#rejectQueued(err);
        return;
      }
    }
    const batch = this.#queue;
    this.#queue = [];
    const done: { write: Write; value: unknown }[] = [];
    for (const [i, w] of batch.entries()) {
      if (w.savepoint) this.#savepoint.run();
      try {
        const value = w.write();
        if (w.savepoint) this.#release.run();
        done.push({ write: w, value });
      } catch (err) {
        // Undo this write alone; if even that fails the transaction is gone, and COMMIT reports it.
        if (w.savepoint) {
          try {
            this.#rollbackTo.run();
            this.#release.run();
          } catch {
            // reported below
          }
        }
        w.reject(err);
        // Some errors (disk full, I/O) end the whole transaction: what ran is undone, and the rest
        // must not run outside it, each committing on its own.
        if (!this.#db.inTransaction) {
          for (const d of done) d.write.reject(err);
          for (const rest of batch.slice(i + 1)) rest.reject(err);
          return;
        }
      }
    }
    try {
      this.#commit.run();
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      for (const d of done) d.write.reject(err);
      return;
    }
    for (const d of done) d.write.resolve(d.value);
  }
}

interface Write {
  write: () => unknown;
  /** Run inside a savepoint (a write of several statements). */
  savepoint: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const instances = new WeakMap<Db, GroupCommit>();
