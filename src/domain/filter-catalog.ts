import { fail, ok, type Result, ValidationError } from './errors.js';
import type { AccessEvent } from './event.js';
import type { FilterOption, FilterSighting } from './filter-option.js';
import type { FilterOptionStore } from './ports.js';
import { FILTER_DIMENSIONS, type FilterDimension, foldFilterValue, type WebhookFilters } from './webhook.js';

/**
 * The filter catalog: per account and filter dimension, the values its published events carried,
 * each with a label people recognise, how many events carried it and when one last did. It is what
 * the console's filter pickers offer, and what saving a webhook checks its filter values against.
 *
 * Learning costs publishing next to nothing: publishes add their events' values to a buffer in
 * memory, which coalesces them (a busy account's events carry the same few values over and over)
 * and is written once a second, in one write, and before any read of the catalog in this process.
 * The catalog is derived data: a process that dies loses at most its last second of counts, and a
 * value comes back with the next event that carries it. Stores keep at most KEEP_PER_DIMENSION values
 * per account and dimension, the most recently seen.
 */

export const KEEP_PER_DIMENSION = 1000;
export const MAX_FILTER_OPTIONS_PAGE = 200;
const FLUSH_INTERVAL_MS = 1000;
/** Distinct values the buffer holds before it writes without waiting for the interval. */
const MAX_BUFFERED = 10_000;

type AccessGroup = AccessEvent['data']['access_groups'][number];
type AccessUnit = AccessGroup['access_units'][number];

/**
 * Each dimension's values in an event (matching.ts reads the same fields), each seen with the part of
 * the event its label is made from. The label is made when the buffer is written, from the latest
 * sighting only: publishing pays for a lookup per value, nothing more.
 */
interface Dimension<S> {
  visit(e: AccessEvent, see: (value: string | null | undefined, source: S) => void): void;
  label(source: S): string;
}

const dimension = <S>(d: Dimension<S>) => d as Dimension<unknown>;
const asIs = dimension<string>({ visit: () => {}, label: (s) => s });

const DIMENSIONS: Record<FilterDimension, Dimension<unknown>> = {
  integrationIds: dimension<AccessGroup>({
    visit: (e, see) => {
      for (const g of e.data.access_groups) see(g.integration.id, g);
    },
    label: (g) => `${g.integration.name} (${g.integration.type})`,
  }),
  // An integration type reads as the vendor part of its resource types' display paths ("PostgreSQL").
  integrationTypes: dimension<AccessGroup>({
    visit: (e, see) => {
      for (const g of e.data.access_groups) see(g.integration.type, g);
    },
    label: (g) => g.resource_types[0]?.display_path.split('/')[0] || g.integration.type,
  }),
  resourceTypes: dimension<{ display_path: string }>({
    visit: (e, see) => {
      for (const g of e.data.access_groups) for (const t of g.resource_types) see(t.id, t);
    },
    label: (t) => t.display_path,
  }),
  resourceIds: dimension<AccessUnit>({
    visit: (e, see) => {
      for (const g of e.data.access_groups) for (const u of g.access_units) see(u.resource.id, u);
    },
    label: (u) => u.resource.path || u.resource.name,
  }),
  permissions: dimension<AccessUnit>({
    visit: (e, see) => {
      for (const g of e.data.access_groups) for (const u of g.access_units) see(u.permission.name, u);
    },
    label: (u) => u.permission.name,
  }),
  accessFlowIds: dimension<{ name: string }>({
    visit: (e, see) => see(e.data.access_flow.id, e.data.access_flow),
    label: (f) => f.name,
  }),
  bundleIds: dimension<{ name: string }>({
    visit: (e, see) => {
      if (e.data.access_bundle) see(e.data.access_bundle.id, e.data.access_bundle);
    },
    label: (b) => b.name,
  }),
  requesterEmails: dimension<{ name: string; email: string }>({
    visit: (e, see) => see(e.data.requester.email, e.data.requester),
    label: (r) => `${r.name} <${r.email}>`,
  }),
  granteeTypes: { ...asIs, visit: (e, see) => see(e.data.grantee.type, e.data.grantee.type) },
  approvalTypes: {
    ...asIs,
    visit: (e, see) => {
      for (const a of e.data.approvals) see(a.type, a.type);
    },
  },
};

/** A value in the buffer: counts and the latest sighting, not yet labelled. */
interface Buffered {
  count: number;
  lastSeenAt: number;
  source: unknown;
}

/** The catalog of every account, learning from publishes through a coalescing buffer (see above). */
export class FilterCatalog {
  readonly #store: FilterOptionStore;
  readonly #flushMs: number;
  /** Per account, per dimension (in FILTER_DIMENSIONS order): value → what was seen. */
  #buffer = new Map<string, Map<string, Buffered>[]>();
  #buffered = 0;
  #timer: NodeJS.Timeout | null = null;
  /** The write in progress: reads and close wait for it. */
  #writing: Promise<void> = Promise.resolve();
  #onError: (err: unknown) => void;
  /** What #see adds to: the dimension being visited (one function for every value, made once). */
  #dimension: FilterDimension = 'integrationIds';
  #values = new Map<string, Buffered>();
  #time = 0;
  readonly #see = (raw: string | null | undefined, source: unknown) => {
    if (typeof raw !== 'string' || raw === '') return;
    const value = foldFilterValue(this.#dimension, raw);
    const seen = this.#values.get(value);
    if (!seen) {
      this.#values.set(value, { count: 1, lastSeenAt: this.#time, source });
      this.#buffered++;
    } else {
      seen.count++;
      if (this.#time >= seen.lastSeenAt) {
        seen.lastSeenAt = this.#time;
        seen.source = source;
      }
    }
  };

  constructor(
    store: FilterOptionStore,
    options: { flushMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.#store = store;
    this.#flushMs = options.flushMs ?? FLUSH_INTERVAL_MS;
    this.#onError = options.onError ?? (() => {});
  }

  /** Adds the values a published event carries; never blocks and never fails the publish. */
  learn(accountId: string, event: AccessEvent, at: Date): void {
    let maps = this.#buffer.get(accountId);
    if (!maps) {
      maps = FILTER_DIMENSIONS.map(() => new Map());
      this.#buffer.set(accountId, maps);
    }
    this.#time = at.getTime();
    for (let i = 0; i < FILTER_DIMENSIONS.length; i++) {
      this.#dimension = FILTER_DIMENSIONS[i] as FilterDimension;
      this.#values = maps[i] as Map<string, Buffered>;
      DIMENSIONS[this.#dimension].visit(event, this.#see);
    }
    if (this.#buffered >= MAX_BUFFERED) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs).unref();
  }

  /** Writes what the buffer holds; resolves when everything learned before the call is stored. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#buffered === 0) return this.#writing;
    const sightings: FilterSighting[] = [];
    for (const [accountId, maps] of this.#buffer) {
      maps.forEach((values, i) => {
        const name = FILTER_DIMENSIONS[i] as FilterDimension;
        // Only the most recently seen can outlast the store's bound: the rest would be pruned at once.
        const entries = [...values];
        if (entries.length > KEEP_PER_DIMENSION) {
          entries.sort((a, b) => b[1].lastSeenAt - a[1].lastSeenAt);
          entries.length = KEEP_PER_DIMENSION;
        }
        for (const [value, seen] of entries) {
          sightings.push({
            accountId,
            dimension: name,
            value,
            label: DIMENSIONS[name].label(seen.source),
            count: seen.count,
            lastSeenAt: new Date(seen.lastSeenAt),
          });
        }
      });
    }
    this.#buffer = new Map();
    this.#buffered = 0;
    this.#writing = this.#writing.then(() =>
      this.#store.record(sightings, KEEP_PER_DIMENSION).catch(this.#onError),
    );
    return this.#writing;
  }

  async list(
    accountId: string,
    dimension: FilterDimension,
    query: { search?: string; first: number },
  ): Promise<FilterOption[]> {
    await this.flush();
    return this.#store.list(accountId, dimension, query);
  }

  /** Which of these values (already folded) events of the account have carried. */
  async known(accountId: string, dimension: FilterDimension, values: string[]): Promise<Set<string>> {
    if (values.length === 0) return new Set();
    await this.flush();
    return this.#store.known(accountId, dimension, values);
  }

  close(): Promise<void> {
    return this.flush();
  }
}

export interface FilterOptionsArgs {
  dimension: FilterDimension;
  search?: string | null;
  first?: number | null;
}

export async function listFilterOptions(
  deps: { filterCatalog: FilterCatalog },
  caller: { accountId: string },
  args: FilterOptionsArgs,
): Promise<Result<FilterOption[], ValidationError>> {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FILTER_OPTIONS_PAGE) {
    return fail(
      new ValidationError([{ path: ['first'], message: `must be 1 to ${MAX_FILTER_OPTIONS_PAGE}` }]),
    );
  }
  const search = args.search?.trim();
  if (search && search.length > 200) {
    return fail(new ValidationError([{ path: ['search'], message: 'must be at most 200 characters' }]));
  }
  return ok(
    await deps.filterCatalog.list(caller.accountId, args.dimension, {
      search: search || undefined,
      first,
    }),
  );
}

/** Something saved that is allowed but probably not what was meant. */
export interface FieldWarning {
  path: string[];
  message: string;
}

/**
 * A warning for each filter value that no event of the account has carried (as far as the catalog
 * remembers): such a value matches nothing yet, which is right for a value whose events are still to
 * come and wrong for a typo or a display name typed for an id. Paths are those of the saved filters.
 */
export async function unseenFilterValueWarnings(
  catalog: FilterCatalog,
  accountId: string,
  filters: WebhookFilters,
): Promise<FieldWarning[]> {
  const warnings: FieldWarning[] = [];
  for (const dimension of FILTER_DIMENSIONS) {
    const values = filters[dimension];
    if (values.length === 0) continue;
    const known = await catalog.known(accountId, dimension, values);
    values.forEach((value, i) => {
      if (known.has(value)) return;
      warnings.push({
        path: ['filters', dimension, String(i)],
        message: `no event of this account has carried ${JSON.stringify(value)} yet, so this value matches nothing until one does`,
      });
    });
  }
  return warnings;
}
