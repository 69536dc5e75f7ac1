import type { FilterOption, FilterSighting } from '../../domain/filter-option.js';
import type { FilterOptionStore } from '../../domain/ports.js';
import type { FilterDimension } from '../../domain/webhook.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';

interface Row {
  value: string;
  label: string;
  seen_count: number;
  last_seen_at: number;
}

const toOption = (r: Row): FilterOption => ({
  value: r.value,
  label: r.label,
  seenCount: r.seen_count,
  lastSeenAt: new Date(r.last_seen_at),
});

const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqliteFilterOptionStore implements FilterOptionStore {
  readonly #writes: GroupCommit;
  readonly #upsert;
  readonly #cutoff;
  readonly #prune;
  readonly #list;
  readonly #search;
  readonly #known;

  constructor(db: Db) {
    this.#writes = GroupCommit.of(db);
    this.#upsert = db.prepare(
      `INSERT INTO filter_options (account_id, dimension, value, label, seen_count, last_seen_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET
         seen_count = seen_count + excluded.seen_count,
         label = CASE WHEN excluded.last_seen_at >= last_seen_at THEN excluded.label ELSE label END,
         last_seen_at = max(last_seen_at, excluded.last_seen_at)`,
    );
    // The lastSeenAt of the keep-th most recent value: anything seen before it goes.
    this.#cutoff = db
      .prepare<[string, string, number], number>(
        `SELECT last_seen_at FROM filter_options WHERE account_id = ? AND dimension = ?
         ORDER BY last_seen_at DESC LIMIT 1 OFFSET ?`,
      )
      .pluck();
    this.#prune = db.prepare(
      'DELETE FROM filter_options WHERE account_id = ? AND dimension = ? AND last_seen_at < ?',
    );
    this.#list = db.prepare<[string, string, number], Row>(
      `SELECT value, label, seen_count, last_seen_at FROM filter_options
       WHERE account_id = ? AND dimension = ? ORDER BY last_seen_at DESC, value LIMIT ?`,
    );
    this.#search = db.prepare<[string, string, string, string, number], Row>(
      `SELECT value, label, seen_count, last_seen_at FROM filter_options
       WHERE account_id = ? AND dimension = ? AND (value LIKE ? ESCAPE '\\' OR label LIKE ? ESCAPE '\\')
       ORDER BY last_seen_at DESC, value LIMIT ?`,
    );
    this.#known = db
      .prepare<[string, string, string], string>(
        `SELECT value FROM filter_options
         WHERE account_id = ? AND dimension = ? AND value IN (SELECT value FROM json_each(?))`,
      )
      .pluck();
  }

  async record(sightings: FilterSighting[], keep: number): Promise<void> {
    if (sightings.length === 0) return;
    await this.#writes.run(() => {
      const touched = new Map<string, [string, string]>();
      for (const s of sightings) {
        this.#upsert.run(s.accountId, s.dimension, s.value, s.label, s.count, s.lastSeenAt.getTime());
        touched.set(`${s.accountId}\u0000${s.dimension}`, [s.accountId, s.dimension]);
      }
      for (const [accountId, dimension] of touched.values()) {
        const cutoff = this.#cutoff.get(accountId, dimension, keep - 1);
        if (cutoff !== undefined) this.#prune.run(accountId, dimension, cutoff);
      }
    });
  }

  async list(
    accountId: string,
    dimension: FilterDimension,
    query: { search?: string; first: number },
  ): Promise<FilterOption[]> {
    const rows = query.search
      ? this.#search.all(
          accountId,
          dimension,
          likePattern(query.search),
          likePattern(query.search),
          query.first,
        )
      : this.#list.all(accountId, dimension, query.first);
    return rows.map(toOption);
  }

  async known(accountId: string, dimension: FilterDimension, values: string[]): Promise<Set<string>> {
    return new Set(this.#known.all(accountId, dimension, JSON.stringify(values)));
  }
}
