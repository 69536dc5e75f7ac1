import { parentPort, workerData } from 'node:worker_threads';
import { checkTemplateSync, renderBodySync, TemplateError } from '../domain/template.js';
import {
  type FromWorker,
  PROGRESS_STARTED,
  PROGRESS_STEP,
  PROGRESS_TASK,
  type Task,
  type TaskResult,
  type ToWorker,
  type WorkerData,
} from './protocol.js';
import { runValidators } from './validators.js';

/**
 * A sandbox worker thread: runs batches of untrusted tasks (renders, template checks, validators)
 * with the pure functions of domain/template.ts and ./validators.ts. It trusts nothing it runs to
 * stop: the pool watches the shared progress array and terminates this thread when a task overruns
 * its budget, and the thread's heap is capped by the pool's resourceLimits.
 */

const port = parentPort;
if (!port) throw new Error('src/sandbox/worker.ts runs as a worker thread of the sandbox pool');
const { limits, progress } = workerData as WorkerData;
const state = new BigInt64Array(progress);
const renderLimits = { budgetMs: limits.renderMs, maxBodyBytes: limits.maxBodyBytes };
const onScope = (index: number) => Atomics.store(state, PROGRESS_STEP, BigInt(index));

function run(task: Task): TaskResult {
  try {
    switch (task.kind) {
      case 'render':
        return { kind: 'render', body: renderBodySync(task.template, task.scope, renderLimits) };
      case 'check':
        return {
          kind: 'check',
          problem: checkTemplateSync(task.template, task.scopes, renderLimits, onScope),
        };
      case 'validate':
        return {
          kind: 'validate',
          outcome: runValidators(task.validators, task.body, task.bodyComplete, {
            maxNodes: limits.maxNodes,
          }),
        };
    }
  } catch (err) {
    if (err instanceof TemplateError) return { kind: 'render-error', message: err.message, line: err.line };
    return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}

port.on('message', (message: ToWorker) => {
  const results: TaskResult[] = [];
  for (let i = 0; i < message.tasks.length; i++) {
    // Start first, then the index: the watchdog reads the index, then the start.
    Atomics.store(state, PROGRESS_STEP, 0n);
    Atomics.store(state, PROGRESS_STARTED, BigInt(Date.now()));
    Atomics.store(state, PROGRESS_TASK, BigInt(i + 1));
    results.push(run(message.tasks[i] as Task));
  }
  Atomics.store(state, PROGRESS_TASK, 0n);
  port.postMessage({ batch: message.batch, results } satisfies FromWorker);
});

port.postMessage({ ready: true } satisfies FromWorker);
