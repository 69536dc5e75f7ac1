import type { Collection, Db, Filter } from 'mongodb';
import type { FilterOption, FilterSighting } from '../../domain/filter-option.js';
import type { FilterOptionStore } from '../../domain/ports.js';
import type { FilterDimension } from '../../domain/webhook.js';
import { ensureIndexes } from './indexes.js';

interface OptionDoc {
  accountId: string;
  dimension: string;
  value: string;
  label: string;
  seenCount: number;
  lastSeenAt: Date;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const toOption = (d: OptionDoc): FilterOption => ({
  value: d.value,
  label: d.label,
  seenCount: d.seenCount,
  lastSeenAt: d.lastSeenAt,
});

export class MongoFilterOptionStore implements FilterOptionStore {
  readonly #col: Collection<OptionDoc>;

  constructor(db: Db) {
    this.#col = db.collection<OptionDoc>('filter_options');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#col, [
      { key: { accountId: 1, dimension: 1, value: 1 }, name: 'account_dimension_value', unique: true },
      { key: { accountId: 1, dimension: 1, lastSeenAt: -1 }, name: 'account_dimension_recent' },
    ]);
  }

  async record(sightings: FilterSighting[], keep: number): Promise<void> {
    if (sightings.length === 0) return;
    // One round trip: per sighting, the counts and time, then the label if this sighting is now the
    // latest (its lastSeenAt won the $max), so a late write of an older sighting keeps the newer label.
    await this.#col.bulkWrite(
      sightings.flatMap((s) => {
        const key = { accountId: s.accountId, dimension: s.dimension, value: s.value };
        return [
          {
            updateOne: {
              filter: key,
              update: {
                $inc: { seenCount: s.count },
                $max: { lastSeenAt: s.lastSeenAt },
                $setOnInsert: { label: s.label },
              },
              upsert: true,
            },
          },
          {
            updateOne: { filter: { ...key, lastSeenAt: s.lastSeenAt }, update: { $set: { label: s.label } } },
          },
        ];
      }),
      { ordered: true },
    );
    const touched = new Map(sightings.map((s) => [`${s.accountId}\u0000${s.dimension}`, s]));
    for (const { accountId, dimension } of touched.values()) {
      const [cutoff] = await this.#col
        .find({ accountId, dimension }, { projection: { lastSeenAt: 1 } })
        .sort({ lastSeenAt: -1 })
        .skip(keep - 1)
        .limit(1)
        .toArray();
      if (cutoff)
        await this.#col.deleteMany({ accountId, dimension, lastSeenAt: { $lt: cutoff.lastSeenAt } });
    }
  }

  async list(
    accountId: string,
    dimension: FilterDimension,
    query: { search?: string; first: number },
  ): Promise<FilterOption[]> {
    const filter: Filter<OptionDoc> = { accountId, dimension };
    if (query.search) {
      const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
      filter.$or = [{ value: pattern }, { label: pattern }];
    }
    const docs = await this.#col.find(filter).sort({ lastSeenAt: -1, value: 1 }).limit(query.first).toArray();
    return docs.map(toOption);
  }

  async known(accountId: string, dimension: FilterDimension, values: string[]): Promise<Set<string>> {
    const docs = await this.#col
      .find({ accountId, dimension, value: { $in: values } }, { projection: { value: 1 } })
      .toArray();
    return new Set(docs.map((d) => d.value));
  }
}
