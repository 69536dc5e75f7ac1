import { IDEMPOTENCY_WINDOW_MS } from '../domain/event-use-cases.js';
import type { Stores } from '../domain/ports.js';
import { sweepRetention } from '../domain/retention.js';
import { errorFields, type Logger } from './log.js';

/** Runs the retention sweep in worker processes, at start and then every `intervalMs`. */
export class RetentionSweeper {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly deps: { stores: Stores; log: Logger; now?: () => number },
    private readonly opts: { retentionDays: number; intervalMs: number },
  ) {}

  start(): void {
    const tick = () => {
      this.#running = this.sweepOnce()
        .then(() => undefined)
        .catch((err) => this.deps.log.error('retention sweep failed', errorFields(err)))
        .finally(() => {
          this.#running = null;
        });
    };
    tick();
    this.#timer = setInterval(tick, this.opts.intervalMs);
    this.#timer.unref();
  }

  async sweepOnce() {
    const now = new Date((this.deps.now ?? Date.now)());
    const removed = await sweepRetention(this.deps.stores, {
      now,
      retentionMs: this.opts.retentionDays * 86_400_000,
      idempotencyMs: IDEMPOTENCY_WINDOW_MS,
    });
    if (removed.invocations || removed.events || removed.operationalEvents)
      this.deps.log.info('retention sweep', removed);
    return removed;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
