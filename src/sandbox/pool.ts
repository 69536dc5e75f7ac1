import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  bodyTooLargeError,
  MAX_RENDERED_BODY_BYTES,
  renderBudgetError,
  TemplateError,
  type TemplateProblem,
} from '../domain/template.js';
import type { UntrustedWork, ValidationOutcome } from '../domain/untrusted-work.js';
import {
  type FromWorker,
  PROGRESS_SLOTS,
  PROGRESS_STARTED,
  PROGRESS_STEP,
  PROGRESS_TASK,
  type Task,
  type TaskKind,
  type TaskResult,
  type ToWorker,
  type WorkerData,
} from './protocol.js';

/**
 * The sandbox: a pool of worker threads that renders body templates and runs response validators,
 * so that an admin's template or JSON path never runs on the event loop that serves every account.
 *
 * Budgets, enforced from outside the code that runs:
 * - time: each task has a wall-clock budget (RENDER_TIMEOUT for a render and for a whole template
 *   check, VALIDATION_TIMEOUT for a response's validators). The worker records which task it runs
 *   and when it started in a shared array; a watchdog timer per busy worker reads it and, past the
 *   budget plus a 10 % grace (liquidjs's own renderLimit fires at the budget, inside the render, and
 *   costs no thread), terminates the thread. The task fails naming the budget; a new thread replaces it.
 * - memory: each thread's heap is capped (resourceLimits); a thread that dies of it is replaced
 *   and its task fails ("…used more than its 64 MB memory budget").
 * - output: the rendered body is capped inside the worker and checked again here.
 * - nodes: JSON paths count the nodes they visit (domain/json-path.ts).
 *
 * Fairness: tasks queue per account, and a free thread takes the next batch from the next account
 * in turn (round-robin). No account may hold more than `threads - 1` threads at once (with one
 * thread, 1), so an account whose templates all run to their budget leaves a thread to everyone
 * else. Coalescing: a batch is up to 32 queued tasks of one account (at most 256 KiB of input, and
 * about 10 ms of that account's recent work per task, so an account with slow templates sends them
 * one at a time and its thread comes back to the round after each), sent as one message and
 * answered with one; batches never mix accounts, so a slow task only ever delays its own account's
 * tasks. When a thread is terminated mid-batch, only the task that overran fails; the others of its
 * batch go back to the front of their account's queue.
 *
 * A worker crash never reaches the caller as an exception: every task settles with a result.
 */

export interface SandboxOptions {
  threads: number;
  /** Heap cap of each thread (resourceLimits.maxOldGenerationSizeMb). */
  memoryMb: number;
  renderMs: number;
  validationMs: number;
  /** Nodes the validators of one response may visit together. */
  maxNodes: number;
  maxBodyBytes?: number;
  /** About how many milliseconds of an account's recent work one batch may hold (default 10). */
  batchWorkMs?: number;
  /** Told when a thread is replaced (log it). */
  onReplaced?: (info: { reason: EndReason; accountId: string | null; kind: TaskKind | null }) => void;
}

/** How a task ended, from the pool's side: the worker answered, or the pool ended the thread. */
export type EndReason = 'time' | 'memory' | 'crash';
export type TaskOutcome = 'done' | EndReason | 'shutdown' | 'unavailable';

export type SandboxEvent =
  /** Sent to a thread in batch `batch` (an id), one of `size` tasks. */
  | { type: 'dispatched'; accountId: string; kind: TaskKind; batch: number; size: number }
  | { type: 'settled'; accountId: string; kind: TaskKind; outcome: TaskOutcome }
  | { type: 'replaced'; reason: EndReason };

export interface SandboxStats {
  threads: number;
  /** Tasks sent to a thread (a task put back after its thread was terminated counts again). */
  dispatched: number;
  batches: number;
  /** Threads replaced after a termination or a crash. */
  replaced: number;
  overBudget: { time: number; memory: number };
  queued: number;
  running: number;
}

const MAX_BATCH = 32;
const MAX_BATCH_COST = 256 * 1024;
/**
 * About how much work one batch holds: an account whose tasks take 1 ms each gets batches of 10,
 * one whose tasks take 10 ms or more gets them one at a time, so that a thread it holds comes back
 * to the round after at most one slow task.
 */
const BATCH_WORK_MS = 10;
/** A task whose thread crashed this many times (without being the one that overran) fails. */
const MAX_TRIES = 3;
const START_FAILURES_BEFORE_FAILING = 3;

interface Pending {
  accountId: string;
  task: Task;
  cost: number;
  tries: number;
  settle(result: TaskResult, outcome: TaskOutcome): void;
}

interface Slot {
  worker: Worker;
  progress: BigInt64Array;
  ready: boolean;
  batchId: number;
  sentAt: number;
  batch: Pending[] | null;
  accountId: string | null;
  timer: NodeJS.Timeout | null;
  /** Set when the pool terminates the thread: which task of the batch overran. */
  killed: { index: number; reason: EndReason } | null;
  error: Error | null;
}

/** A FIFO with O(1) shift (the delivery path queues thousands). */
class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  get length() {
    return this.#items.length - this.#head;
  }
  push(item: T) {
    this.#items.push(item);
  }
  peek(): T | undefined {
    return this.#items[this.#head];
  }
  shift(): T | undefined {
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
  unshift(items: T[]) {
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }
  drain(): T[] {
    const all = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return all;
  }
}

export class SandboxPool implements UntrustedWork {
  readonly #options: Required<Omit<SandboxOptions, 'onReplaced'>> & Pick<SandboxOptions, 'onReplaced'>;
  readonly #share: number;
  readonly #slots = new Set<Slot>();
  /** Accounts with queued tasks, in round-robin order (a Map keeps insertion order). */
  readonly #queues = new Map<string, Queue<Pending>>();
  readonly #runningByAccount = new Map<string, number>();
  readonly #dispatchedByAccount = new Map<string, number>();
  /** Recent milliseconds per task, per account (moving average): how many tasks a batch may hold. */
  readonly #taskMs = new Map<string, number>();
  #ready: { promise: Promise<void>; resolve: () => void } | null = null;
  readonly #listeners = new Set<(event: SandboxEvent) => void>();
  readonly #exits = new Set<Promise<void>>();
  #started = false;
  #closed = false;
  #queued = 0;
  #running = 0;
  #reffed = false;
  #batchIds = 0;
  #startFailures = 0;
  #unavailable: string | null = null;
  #stats = { dispatched: 0, batches: 0, replaced: 0, overBudget: { time: 0, memory: 0 } };

  constructor(options: SandboxOptions) {
    this.#options = { maxBodyBytes: MAX_RENDERED_BODY_BYTES, batchWorkMs: BATCH_WORK_MS, ...options };
    this.#share = Math.max(1, options.threads - 1);
  }

  // ---- the port ------------------------------------------------------------------------------

  async render(accountId: string, template: string, scope: object): Promise<string> {
    if (template.trim() === '') return '';
    const result = await this.#run(accountId, { kind: 'render', template, scope }, template.length + 2048);
    if (result.kind === 'render') {
      // Checked again here, outside the thread that rendered it.
      const max = this.#options.maxBodyBytes;
      const { length } = result.body;
      // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long body needs counting.
      if (length > max || (length * 3 > max && Buffer.byteLength(result.body) > max)) {
        throw bodyTooLargeError(max);
      }
      return result.body;
    }
    if (result.kind === 'render-error') throw new TemplateError(result.message, result.line);
    throw new TemplateError(`the template could not be rendered: ${describe(result)}`);
  }

  async checkTemplate(
    accountId: string,
    template: string,
    scopes: object[],
  ): Promise<TemplateProblem | null> {
    const cost = template.length + scopes.length * 4096;
    const result = await this.#run(accountId, { kind: 'check', template, scopes }, cost);
    if (result.kind === 'check') return result.problem;
    if (result.kind === 'render-error') return { index: 0, message: result.message, line: result.line };
    return { index: 0, message: `the template could not be rendered: ${describe(result)}` };
  }

  async validate(
    accountId: string,
    validators: readonly { jsonPath: string; expectedValues: string[] }[],
    body: Uint8Array,
    bodyComplete: boolean,
  ): Promise<ValidationOutcome> {
    if (validators.length === 0) return { results: [], passed: true, problem: null, overBudget: false };
    // A Buffer can be a view of a larger pooled ArrayBuffer, which the message would copy whole.
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const task: Task = {
      kind: 'validate',
      validators,
      body: own ? body : new Uint8Array(body),
      bodyComplete,
    };
    const result = await this.#run(accountId, task, body.byteLength + 1024);
    if (result.kind === 'validate') return result.outcome;
    return noVerdict(validators, result.kind === 'render-error' ? result.message : describe(result));
  }

  // ---- observation ---------------------------------------------------------------------------

  stats(): SandboxStats {
    return {
      threads: this.#options.threads,
      ...this.#stats,
      overBudget: { ...this.#stats.overBudget },
      queued: this.#queued,
      running: this.#running,
    };
  }

  /** Starts every thread (they otherwise start with the first task); resolves when all are up. */
  warm(): Promise<void> {
    this.#start();
    if (!this.#ready) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.#ready = { promise, resolve };
    }
    this.#checkReady();
    return this.#ready.promise;
  }

  #checkReady() {
    const up = [...this.#slots].filter((s) => s.ready && !s.killed).length;
    if (this.#ready && up >= this.#options.threads) this.#ready.resolve();
  }

  /** Tasks of one account sent to a thread so far. */
  dispatchedFor(accountId: string): number {
    return this.#dispatchedByAccount.get(accountId) ?? 0;
  }

  /** Every dispatch, settlement and replacement, as it happens (tests, metrics). */
  on(listener: (event: SandboxEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Fails what is queued or running ("the sandbox is shutting down") and ends every thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [, queue] of this.#queues) {
      for (const pending of queue.drain()) this.#fail(pending, 'the sandbox is shutting down', 'shutdown');
    }
    this.#queues.clear();
    this.#queued = 0;
    for (const slot of this.#slots) void slot.worker.terminate();
    await Promise.all(this.#exits);
  }

  // ---- queueing ------------------------------------------------------------------------------

  #run(accountId: string, task: Task, cost: number): Promise<TaskResult> {
    return new Promise<TaskResult>((resolve) => {
      const pending: Pending = {
        accountId,
        task,
        cost,
        tries: 0,
        settle: (result, outcome) => {
          this.#emit({ type: 'settled', accountId, kind: task.kind, outcome });
          resolve(result);
        },
      };
      if (this.#closed) return this.#fail(pending, 'the sandbox is shutting down', 'shutdown');
      if (this.#unavailable) return this.#fail(pending, this.#unavailable, 'unavailable');
      this.#enqueue([pending]);
      this.#start();
      this.#pump();
    });
  }

  #enqueue(items: Pending[], front = false) {
    if (items.length === 0) return;
    const accountId = (items[0] as Pending).accountId;
    let queue = this.#queues.get(accountId);
    if (!queue) {
      queue = new Queue<Pending>();
      this.#queues.set(accountId, queue);
    }
    if (front) queue.unshift(items);
    else for (const item of items) queue.push(item);
    this.#queued += items.length;
    this.#refresh();
  }

  /** The next account in turn that may take another thread, and a batch of its tasks. */
  #take(): { accountId: string; batch: Pending[] } | null {
    for (const [accountId, queue] of this.#queues) {
      if ((this.#runningByAccount.get(accountId) ?? 0) >= this.#share) continue;
      const batch: Pending[] = [queue.shift() as Pending];
      let cost = (batch[0] as Pending).cost;
      const taskMs = this.#taskMs.get(accountId) ?? 0;
      const work = this.#options.batchWorkMs;
      const most = Math.max(1, Math.min(MAX_BATCH, Math.floor(work / Math.max(taskMs, 0.001))));
      for (let next = queue.peek(); next && batch.length < most; next = queue.peek()) {
        if (cost + next.cost > MAX_BATCH_COST) break;
        cost += next.cost;
        batch.push(queue.shift() as Pending);
      }
      this.#queued -= batch.length;
      // To the back of the round: the other accounts go first next time.
      this.#queues.delete(accountId);
      if (queue.length > 0) this.#queues.set(accountId, queue);
      return { accountId, batch };
    }
    return null;
  }

  #pump() {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.batch || slot.killed) continue;
      const next = this.#take();
      if (!next) break;
      this.#send(slot, next.accountId, next.batch);
    }
    this.#refresh();
  }

  #send(slot: Slot, accountId: string, batch: Pending[]) {
    slot.batchId = ++this.#batchIds;
    slot.sentAt = Date.now();
    slot.batch = batch;
    slot.accountId = accountId;
    this.#running += batch.length;
    this.#runningByAccount.set(accountId, (this.#runningByAccount.get(accountId) ?? 0) + 1);
    this.#stats.batches++;
    this.#stats.dispatched += batch.length;
    this.#dispatchedByAccount.set(accountId, (this.#dispatchedByAccount.get(accountId) ?? 0) + batch.length);
    slot.worker.postMessage({ batch: slot.batchId, tasks: batch.map((p) => p.task) } satisfies ToWorker);
    for (const p of batch) {
      this.#emit({
        type: 'dispatched',
        accountId,
        kind: p.task.kind,
        batch: slot.batchId,
        size: batch.length,
      });
    }
    this.#watch(slot, this.#deadline((batch[0] as Pending).task));
  }

  /** Takes a batch off a slot: the slot is free again, its account holds one thread less. */
  #release(slot: Slot): Pending[] {
    const batch = slot.batch ?? [];
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.batch = null;
    this.#running -= batch.length;
    if (slot.accountId !== null) {
      const held = (this.#runningByAccount.get(slot.accountId) ?? 1) - 1;
      if (held > 0) this.#runningByAccount.set(slot.accountId, held);
      else this.#runningByAccount.delete(slot.accountId);
    }
    slot.accountId = null;
    return batch;
  }

  // ---- budgets -------------------------------------------------------------------------------

  #budget(task: Task): number {
    return task.kind === 'validate' ? this.#options.validationMs : this.#options.renderMs;
  }

  /** The budget, and a grace of 10 % (at least 10 ms) in which liquidjs's own limit can fire first. */
  #deadline(task: Task): number {
    const budget = this.#budget(task);
    return budget + Math.max(10, Math.ceil(budget / 10));
  }

  #watch(slot: Slot, inMs: number) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.#check(slot), Math.max(1, inMs));
    slot.timer.unref();
  }

  #check(slot: Slot) {
    slot.timer = null;
    const batch = slot.batch;
    if (!batch || slot.killed) return;
    const running = Number(Atomics.load(slot.progress, PROGRESS_TASK));
    if (running === 0) {
      // Not started yet, or finished with its answer on the way: look again later, unless the batch
      // has been out for longer than all its tasks' budgets together (a lost answer).
      const first = this.#deadline((batch[0] as Pending).task);
      if (Date.now() - slot.sentAt > first * batch.length + 1_000) return this.#kill(slot, -1, 'crash');
      this.#watch(slot, first);
      return;
    }
    const index = running - 1;
    const task = (batch[index] as Pending).task;
    const started = Number(Atomics.load(slot.progress, PROGRESS_STARTED));
    const left = started + this.#deadline(task) - Date.now();
    if (left > 0) return this.#watch(slot, left);
    this.#kill(slot, index, 'time');
  }

  #kill(slot: Slot, index: number, reason: EndReason) {
    if (slot.killed) return;
    slot.killed = { index, reason };
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    void slot.worker.terminate();
  }

  // ---- threads -------------------------------------------------------------------------------

  /** Threads start with the first task, so processes that never render pay nothing. */
  #start() {
    if (this.#started) return;
    this.#started = true;
    for (let i = 0; i < this.#options.threads; i++) this.#spawn();
  }

  #spawn() {
    if (this.#closed) return;
    const { memoryMb } = this.#options;
    const progress = new SharedArrayBuffer(PROGRESS_SLOTS * 8);
    const entry = workerEntry();
    const worker = new Worker('url' in entry ? entry.url : entry.code, {
      eval: 'eval' in entry,
      workerData: {
        ...('tsx' in entry ? { tsx: entry.tsx, entry: entry.entry } : {}),
        limits: {
          renderMs: this.#options.renderMs,
          validationMs: this.#options.validationMs,
          maxBodyBytes: this.#options.maxBodyBytes,
          maxNodes: this.#options.maxNodes,
        },
        progress,
      } satisfies WorkerData,
      resourceLimits: {
        maxOldGenerationSizeMb: memoryMb,
        maxYoungGenerationSizeMb: Math.max(2, Math.min(16, Math.floor(memoryMb / 8))),
      },
    });
    const slot: Slot = {
      worker,
      progress: new BigInt64Array(progress),
      ready: false,
      batchId: 0,
      sentAt: 0,
      batch: null,
      accountId: null,
      timer: null,
      killed: null,
      error: null,
    };
    this.#slots.add(slot);
    if (!this.#reffed) worker.unref();
    worker.on('message', (message: FromWorker) => this.#onMessage(slot, message));
    worker.on('error', (err) => {
      slot.error = err;
    });
    // An answer that cannot be read would leave its batch waiting forever: end the thread instead.
    worker.on('messageerror', (err) => {
      slot.error = err;
      this.#kill(slot, -1, 'crash');
    });
    const exited = new Promise<void>((resolve) => {
      worker.once('exit', () => {
        this.#exits.delete(exited);
        this.#onExit(slot);
        resolve();
      });
    });
    this.#exits.add(exited);
  }

  #onMessage(slot: Slot, message: FromWorker) {
    if ('ready' in message) {
      slot.ready = true;
      this.#startFailures = 0;
      this.#unavailable = null;
      this.#checkReady();
      this.#pump();
      return;
    }
    if (message.batch !== slot.batchId || slot.killed) return;
    const accountId = slot.accountId;
    const perTask = (Date.now() - slot.sentAt) / Math.max(1, slot.batch?.length ?? 1);
    const batch = this.#release(slot);
    if (accountId !== null) this.#timed(accountId, perTask);
    batch.forEach((pending, i) => {
      pending.settle(
        message.results[i] ?? { kind: 'failed', message: 'the sandbox worker gave no result' },
        'done',
      );
    });
    this.#pump();
  }

  #onExit(slot: Slot) {
    this.#slots.delete(slot);
    const wasReady = slot.ready;
    const running = slot.killed ? slot.killed.index : Number(Atomics.load(slot.progress, PROGRESS_TASK)) - 1;
    const step = Number(Atomics.load(slot.progress, PROGRESS_STEP));
    const reason: EndReason =
      slot.killed?.reason ??
      ((slot.error as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash');
    const accountId = slot.accountId;
    const batch = this.#release(slot);
    if (this.#closed) {
      for (const pending of batch) this.#fail(pending, 'the sandbox is shutting down', 'shutdown');
      return;
    }
    const culprit = batch[running];
    if (reason !== 'crash') this.#stats.overBudget[reason]++;
    // An account whose task ran to a budget sends one task at a time for a while.
    if (accountId !== null && culprit) this.#timed(accountId, this.#budget(culprit.task));
    if (culprit) this.#settleOverrun(culprit, reason, step, slot.error);
    // The rest of the batch did nothing wrong: back to the front of their account's queue.
    const others = batch.filter((p) => p !== culprit);
    for (const p of others) p.tries++;
    const retry = others.filter((p) => p.tries < MAX_TRIES);
    for (const p of others.filter((p) => p.tries >= MAX_TRIES)) {
      this.#fail(
        p,
        `the sandbox worker stopped ${MAX_TRIES} times while this task waited in its batch`,
        'crash',
      );
    }
    this.#enqueue(retry, true);

    if (wasReady) {
      this.#stats.replaced++;
      this.#emit({ type: 'replaced', reason });
      this.#options.onReplaced?.({ reason, accountId, kind: culprit?.task.kind ?? null });
      this.#spawn();
    } else {
      // It never came up (a broken install, or no memory for even an empty thread): back off, and
      // after a few failures fail tasks at once instead of queueing them forever.
      this.#startFailures++;
      if (this.#startFailures >= START_FAILURES_BEFORE_FAILING) {
        this.#unavailable = `the sandbox could not start a worker thread (${slot.error?.message ?? `exit ${reason}`})`;
        for (const [, queue] of this.#queues) {
          for (const pending of queue.drain()) this.#fail(pending, this.#unavailable, 'unavailable');
        }
        this.#queues.clear();
        this.#queued = 0;
      }
      const delay = Math.min(30_000, 100 * 2 ** this.#startFailures);
      setTimeout(() => this.#spawn(), delay).unref();
    }
    this.#pump();
  }

  #timed(accountId: string, ms: number) {
    const before = this.#taskMs.get(accountId);
    this.#taskMs.set(accountId, before === undefined ? ms : 0.7 * before + 0.3 * ms);
  }

  #settleOverrun(pending: Pending, reason: EndReason, step: number, error: Error | null) {
    const { task } = pending;
    const message =
      reason === 'time'
        ? task.kind === 'validate'
          ? `the JSON paths ran past their ${this.#options.validationMs} ms validation budget`
          : renderBudgetError(this.#options.renderMs).message
        : reason === 'memory'
          ? `${task.kind === 'validate' ? 'validating the response' : 'the template'} used more than its ${this.#options.memoryMb} MB memory budget`
          : `the sandbox worker stopped${error ? `: ${error.message}` : ''}`;
    if (task.kind === 'validate') {
      pending.settle({ kind: 'validate', outcome: noVerdict(task.validators, message) }, reason);
    } else if (task.kind === 'check') {
      pending.settle({ kind: 'check', problem: { index: step, message } }, reason);
    } else {
      pending.settle({ kind: 'render-error', message }, reason);
    }
  }

  #fail(pending: Pending, message: string, outcome: TaskOutcome) {
    const { task } = pending;
    if (task.kind === 'validate') {
      pending.settle({ kind: 'validate', outcome: noVerdict(task.validators, message) }, outcome);
    } else if (task.kind === 'check') {
      pending.settle({ kind: 'check', problem: { index: 0, message } }, outcome);
    } else {
      pending.settle({ kind: 'render-error', message }, outcome);
    }
  }

  /** Threads keep the process alive only while there is work for them. */
  #refresh() {
    const busy = this.#queued + this.#running > 0;
    if (busy === this.#reffed) return;
    this.#reffed = busy;
    for (const slot of this.#slots) {
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  #emit(event: SandboxEvent) {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's problem is not the task's.
      }
    }
  }
}

function noVerdict(
  validators: readonly { jsonPath: string; expectedValues: string[] }[],
  problem: string,
): ValidationOutcome {
  return {
    results: validators.map((v) => ({
      jsonPath: v.jsonPath,
      expectedValues: v.expectedValues,
      actualValue: null,
      passed: false,
    })),
    passed: false,
    problem,
    overBudget: true,
  };
}

function describe(result: TaskResult): string {
  return result.kind === 'failed' ? result.message : `unexpected ${result.kind} result`;
}

/**
 * The worker's entry: worker.js next to this file when built, worker.ts when running from sources.
 * Node 20 applies neither the parent's module hooks nor an `--import` in execArgv to a worker's entry,
 * so a TypeScript entry is loaded by a small CommonJS bootstrap that registers tsx's hooks in the
 * thread first (tsx's ESM API, `register()`), under `npm start`, `node --import tsx` and vitest alike.
 */
function workerEntry(): { code: string; eval: true; tsx: string; entry: string } | { url: URL } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { url: new URL('./worker.js', here) };
  // The package's "./esm/api" export: index.mjs for import, index.cjs (which cannot register from a
  // thread) for require; require.resolve only finds the latter.
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  return {
    eval: true,
    code: BOOTSTRAP,
    tsx: pathToFileURL(api).href,
    entry: new URL('./worker.ts', here).href,
  };
}

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((api) => {
  api.register();
  return import(workerData.entry);
});
`;
