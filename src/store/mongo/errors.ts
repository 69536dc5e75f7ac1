const DUPLICATE_KEY = 11000;

/**
 * MongoDB reports a unique-index violation as E11000. FerretDB 1.24 (SQLite backend) does so on
 * insert, but on update it answers InternalError with SQLite's own message; both mean the same here.
 */
export function isDuplicateKey(err: unknown): boolean {
  const { code, message } = err as { code?: number; message?: string };
  return code === DUPLICATE_KEY || (code === 1 && /UNIQUE constraint failed/.test(message ?? ''));
}
