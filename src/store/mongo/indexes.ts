import type { Collection, Document, IndexDescription } from 'mongodb';

/**
 * Creates the indexes a collection lacks, one call each. Idempotent across restarts. One call per
 * index because FerretDB 1.24 drops the connection (a server-side panic) when a multi-index
 * createIndexes names indexes that already exist.
 */
export async function ensureIndexes<T extends Document>(
  col: Collection<T>,
  specs: (IndexDescription & { name: string })[],
): Promise<void> {
  const existing = new Set(
    (
      await col
        .listIndexes()
        .toArray()
        .catch(() => [] as { name?: string }[])
    ).map((i) => i.name),
  );
  for (const spec of specs) {
    if (!existing.has(spec.name)) await col.createIndexes([spec]);
  }
}
