import type { DeliveryQuotaStore } from '../../domain/ports.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';

/**
 * Rate-limit windows: one row per webhook, the window it counts and the slots taken in it. Taking
 * slots is one upsert: a later window starts the count again; an earlier one (a process whose clock
 * is behind) changes nothing and gets none. The count may pass the limit (takers asking at once):
 * what each gets is what was left when its own increment ran.
 */
export class SqliteQuotaStore implements DeliveryQuotaStore {
  readonly #writes: GroupCommit;
  readonly #take;

  constructor(db: Db) {
    this.#writes = GroupCommit.of(db);
    this.#take = db.prepare<
      { account: string; webhook: string; start: number; want: number },
      { used: number; window_start: number }
    >(
      `INSERT INTO rate_windows (account_id, webhook_id, window_start, used)
       VALUES (@account, @webhook, @start, @want)
       ON CONFLICT DO UPDATE SET
         used = CASE
           WHEN excluded.window_start > window_start THEN excluded.used
           WHEN excluded.window_start = window_start THEN used + excluded.used
           ELSE used END,
         window_start = max(window_start, excluded.window_start)
       RETURNING used, window_start`,
    );
  }

  async take(accountId: string, webhookId: string, windowStart: Date, want: number, limit: number) {
    const start = windowStart.getTime();
    const row = await this.#writes.statement(() =>
      this.#take.get({ account: accountId, webhook: webhookId, start, want }),
    );
    if (!row || row.window_start !== start) return 0;
    return Math.max(0, Math.min(want, limit - (row.used - want)));
  }
}
