import type { TemplateProblem } from '../domain/template.js';
import type { ValidationOutcome } from '../domain/untrusted-work.js';

/**
 * What the pool (pool.ts) and its worker threads (worker.ts) say to each other. The pool sends a
 * batch of one account's tasks in one message; the worker runs them one after another and answers
 * with all their results in one message. While it runs task i of a batch it keeps `i + 1` and the
 * task's start time (epoch ms) in a shared progress array, which is how the pool's watchdog knows
 * which task overran, or was running when the thread died.
 */

/** The budgets a worker enforces from inside (the pool enforces time and memory from outside too). */
export interface WorkerLimits {
  renderMs: number;
  validationMs: number;
  maxBodyBytes: number;
  maxNodes: number;
}

export interface WorkerData {
  limits: WorkerLimits;
  /**
   * BigInt64Array over a SharedArrayBuffer: [running task index + 1 (0: none), its start (epoch ms),
   * the scope a template check is rendering].
   */
  progress: SharedArrayBuffer;
}

export const PROGRESS_TASK = 0;
export const PROGRESS_STARTED = 1;
export const PROGRESS_STEP = 2;
export const PROGRESS_SLOTS = 3;

export type Task =
  | { kind: 'render'; template: string; scope: object }
  | { kind: 'check'; template: string; scopes: object[] }
  | {
      kind: 'validate';
      validators: readonly { jsonPath: string; expectedValues: string[] }[];
      body: Uint8Array;
      bodyComplete: boolean;
    };

export type TaskKind = Task['kind'];

export type TaskResult =
  | { kind: 'render'; body: string }
  | { kind: 'render-error'; message: string; line?: number }
  | { kind: 'check'; problem: TemplateProblem | null }
  | { kind: 'validate'; outcome: ValidationOutcome }
  /** The task threw something that is not a template problem (a bug); the message says what. */
  | { kind: 'failed'; message: string };

export type ToWorker = { batch: number; tasks: Task[] };
export type FromWorker = { ready: true } | { batch: number; results: TaskResult[] };
