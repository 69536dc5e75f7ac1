import type { Config } from '../config/index.js';
import type { Logger } from '../ops/log.js';
import { SandboxPool } from './pool.js';

export type { SandboxEvent, SandboxStats } from './pool.js';
export { SandboxPool };

/** The sandbox the settings ask for (SANDBOX_*, RENDER_TIMEOUT, VALIDATION_*). Threads start with the first task. */
export function createSandbox(
  config: Pick<
    Config,
    'SANDBOX_THREADS' | 'SANDBOX_MEMORY_MB' | 'RENDER_TIMEOUT' | 'VALIDATION_TIMEOUT' | 'VALIDATION_MAX_NODES'
  >,
  log?: Logger,
): SandboxPool {
  return new SandboxPool({
    threads: config.SANDBOX_THREADS,
    memoryMb: config.SANDBOX_MEMORY_MB,
    renderMs: config.RENDER_TIMEOUT,
    validationMs: config.VALIDATION_TIMEOUT,
    maxNodes: config.VALIDATION_MAX_NODES,
    onReplaced: (info) => log?.warn('sandbox worker thread replaced', info),
  });
}
