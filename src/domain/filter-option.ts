import type { FilterDimension } from './webhook.js';

/** The filter catalog's records (filter-catalog.ts has the rules, ports.ts the store). */

export interface FilterOption {
  /** Exactly what a filter of this dimension matches (folded where the dimension ignores case). */
  value: string;
  label: string;
  seenCount: number;
  lastSeenAt: Date;
}

/** Values seen in events, coalesced: what one catalog write adds. */
export interface FilterSighting {
  accountId: string;
  dimension: FilterDimension;
  value: string;
  /** The label of the most recent sighting. */
  label: string;
  count: number;
  lastSeenAt: Date;
}
