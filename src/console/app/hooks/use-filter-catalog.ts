import { useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { apiDimension, type FilterDimension } from '../enums.js';
import type { ConsoleFilterOptionsQuery } from '../gql/graphql.js';
import { FILTER_OPTIONS } from '../queries.js';

export type FilterOption = ConsoleFilterOptionsQuery['filterOptions'][number];

/** What the console knows of a filter value: its catalog entry, null when the catalog has none. */
export type Sighting = FilterOption | null | undefined;

/** How many options a search shows; the server allows up to LOOKUP_PAGE. */
const SEARCH_PAGE = 20;
const LOOKUP_PAGE = 200;

const keyOf = (dimension: FilterDimension, value: string) => `${dimension}\u0000${value}`;

/**
 * The account's filter catalog (filterOptions) as the form sees it: searches for the pickers, and the
 * entries of the values a filter holds, so that chips show labels and a value no event has carried is
 * marked. Every answer is remembered for the life of the form.
 *
 * The API looks values up by substring only, so `lookUp` first reads the dimension's most recently
 * seen values (one request) and then searches each value still missing for an exact match.
 */
export function useFilterCatalog() {
  const [known, setKnown] = useState<Record<string, FilterOption | null>>({});
  const asked = useRef(new Set<string>());

  const remember = (dimension: FilterDimension, options: FilterOption[], missing: string[] = []) =>
    setKnown((current) => {
      const next = { ...current };
      for (const value of missing) next[keyOf(dimension, value)] ??= null;
      for (const option of options) next[keyOf(dimension, option.value)] = option;
      return next;
    });

  const fetchOptions = async (dimension: FilterDimension, search: string | null, first: number) =>
    (await gql(FILTER_OPTIONS, { dimension: apiDimension(dimension), search, first })).filterOptions;

  /** The options matching what the admin typed (most recently seen first); '' lists the latest. */
  const search = async (dimension: FilterDimension, text: string): Promise<FilterOption[]> => {
    const options = await fetchOptions(dimension, text.trim() || null, SEARCH_PAGE);
    remember(dimension, options);
    return options;
  };

  /** Finds the catalog entries of these values (those not yet asked about), in the background. */
  const lookUp = (dimension: FilterDimension, values: string[]) => {
    const missing = values.filter(
      (v) => !asked.current.has(keyOf(dimension, v)) && !(keyOf(dimension, v) in known),
    );
    if (missing.length === 0) return;
    for (const value of missing) asked.current.add(keyOf(dimension, value));
    void (async () => {
      const found = new Map<string, FilterOption>();
      if (missing.length > 1) {
        for (const option of await fetchOptions(dimension, null, LOOKUP_PAGE))
          found.set(option.value, option);
      }
      await Promise.all(
        missing
          .filter((value) => !found.has(value))
          .map(async (value) => {
            const hit = (await fetchOptions(dimension, value, LOOKUP_PAGE)).find((o) => o.value === value);
            if (hit) found.set(value, hit);
          }),
      );
      remember(dimension, [...found.values()], missing);
    })().catch(() => {
      // Not known either way: the chips show plain values, and the next change asks again.
      for (const value of missing) asked.current.delete(keyOf(dimension, value));
    });
  };

  return {
    search,
    lookUp,
    sighting: (dimension: FilterDimension, value: string): Sighting => known[keyOf(dimension, value)],
  };
}

export type FilterCatalog = ReturnType<typeof useFilterCatalog>;
