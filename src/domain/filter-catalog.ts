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

type Sighted = [value: string | null | undefined, label: string];

/** Each dimension's values in an event, with their labels (matching.ts reads the same fields). */
const SIGHTINGS: Record<FilterDimension, (e: AccessEvent) => Sighted[]> = {
  integrationIds: (e) =>
    e.data.access_groups.map((g) => [g.integration.id, `${g.integration.name} (${g.integration.type})`]),
  // An integration type reads as the vendor part of its resource types' display paths ("PostgreSQL").
  integrationTypes: (e) =>
    e.data.access_groups.map((g) => [
      g.integration.type,
      g.resource_types[0]?.display_path.split('/')[0] || g.integration.type,
    ]),
  resourceTypes: (e) =>
    e.data.access_groups.flatMap((g) => g.resource_types.map((t): Sighted => [t.id, t.display_path])),
  resourceIds: (e) =>
    e.data.access_groups.flatMap((g) =>
      g.access_units.map((u): Sighted => [u.resource.id, u.resource.path || u.resource.name]),
    ),
  permissions: (e) =>
    e.data.access_groups.flatMap((g) =>
      g.access_units.map((u): Sighted => [u.permission.name, u.permission.name]),
    ),
  accessFlowIds: (e) => [[e.data.access_flow.id, e.data.access_flow.name]],
  bundleIds: (e) => (e.data.access_bundle ? [[e.data.access_bundle.id, e.data.access_bundle.name]] : []),
  requesterEmails: (e) => [[e.data.requester.email, `${e.data.requester.name} <${e.data.requester.email}>`]],
  granteeTypes: (e) => [[e.data.grantee.type, e.data.grantee.type]],
  approvalTypes: (e) => e.data.approvals.map((a): Sighted => [a.type, a.type]),
};

/** The catalog of every account, learning from publishes through a coalescing buffer (see above). */
export class FilterCatalog {
  readonly #store: FilterOptionStore;
  readonly #flushMs: number;
  #buffer = new Map<string, FilterSighting>();
  #timer: NodeJS.Timeout | null = null;
  /** The write in progress: reads and close wait for it. */
  #writing: Promise<void> = Promise.resolve();
  #onError: (err: unknown) => void;

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
    for (const dimension of FILTER_DIMENSIONS) {
      for (const [raw, label] of SIGHTINGS[dimension](event)) {
        if (typeof raw !== 'string' || raw === '') continue;
        const value = foldFilterValue(dimension, raw);
        const key = `${accountId}\u0000${dimension}\u0000${value}`;
        const seen = this.#buffer.get(key);
        if (seen) {
          seen.count++;
          if (at >= seen.lastSeenAt) {
            seen.lastSeenAt = at;
            seen.label = label;
          }
        } else {
          this.#buffer.set(key, { accountId, dimension, value, label, count: 1, lastSeenAt: at });
        }
      }
    }
    if (this.#buffer.size >= MAX_BUFFERED) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs).unref();
  }

  /** Writes what the buffer holds; resolves when everything learned before the call is stored. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#buffer.size === 0) return this.#writing;
    const sightings = [...this.#buffer.values()];
    this.#buffer = new Map();
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
