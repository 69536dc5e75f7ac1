import { randomBytes } from 'node:crypto';
import { Child } from './child.js';
import type { ScenarioContext } from './context.js';
import { type BenchService, type BenchStore, startService } from './service.js';
import type { WorkerCommand, WorkerMessage, WorkerStore } from './worker-process.js';

export type Delivered = Extract<WorkerMessage, { type: 'delivered' }>;

/**
 * The service as two processes on one store, the deployment shape for load: `api` (GraphQL,
 * publishEvent) in the bench process and `worker` (the dispatcher, ./worker-process.ts) in a child,
 * so publishing and delivering each get a core. The worker learns of work published by the api
 * process by polling the store every `pollInterval` (DISPATCH_POLL_INTERVAL); while a backlog lasts
 * it claims batch after batch without waiting.
 */
export interface SplitService {
  api: BenchService;
  /** Resolves once `target` deliveries have succeeded in all (at once for 0), with the worker's CPU. */
  delivered(target: number): Promise<Delivered>;
  close(): Promise<void>;
}

export async function startSplitService(
  ctx: ScenarioContext,
  store: BenchStore,
  env: Record<string, string>,
  pollInterval: string,
): Promise<SplitService> {
  const secretsKey = randomBytes(32);
  // Forked first: the worker loads its modules while the api service starts.
  // BENCH_WORKER_PROFILE=DIR: the worker process writes a V8 CPU profile into DIR when it exits.
  const profileDir = process.env.BENCH_WORKER_PROFILE;
  const worker = new Child<WorkerCommand, WorkerMessage>(
    new URL('./worker-process.ts', import.meta.url),
    'worker',
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  let api: BenchService;
  try {
    api = await startService(store, { dispatch: false, env, secretsKey });
  } catch (err) {
    await worker.stop();
    throw err;
  }
  const where: WorkerStore =
    store.kind === 'sqlite'
      ? { kind: 'sqlite', file: store.where }
      : { kind: 'mongodb', uri: ctx.mongo?.uri ?? '', dbName: store.where };
  try {
    await worker.request({
      cmd: 'start',
      reqId: 0,
      store: where,
      secretsKey,
      env: { ...env, DISPATCH_POLL_INTERVAL: pollInterval },
    });
  } catch (err) {
    await worker.stop();
    await api.close();
    throw err;
  }
  return {
    api,
    delivered: (target) => worker.request<Delivered>({ cmd: 'wait', reqId: 0, target }),
    async close() {
      await api.close();
      await worker.stop();
    },
  };
}
