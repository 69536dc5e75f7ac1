import { ValidationError } from './errors.js';
import { type IdKind, isIdOf } from './ids.js';

/** One page of a list, newest first; `hasNextPage` says whether a next page exists. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Cursors are opaque to clients: base64url of the last item's id. */
export function encodeCursor(id: string): string {
  return Buffer.from(`c:${id}`).toString('base64url');
}

/** `kind`: the kind of id the list holds; a cursor of another list is a field error. */
export function parsePageArgs(
  args: PageArgs,
  kind?: IdKind,
): { first: number; after?: string } | ValidationError {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    return new ValidationError([{ path: ['first'], message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  if (args.after === undefined || args.after === null) return { first };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  if (!decoded.startsWith('c:') || decoded.length < 3) {
    return new ValidationError([{ path: ['after'], message: 'is not a cursor returned by this API' }]);
  }
  const after = decoded.slice(2);
  if (kind && !isIdOf(kind, after)) {
    return new ValidationError([{ path: ['after'], message: 'is not a cursor of this list' }]);
  }
  return { first, after };
}
