import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { newId } from '../../src/domain/ids.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'wh-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the WAL is checkpointed by a thread, not by the commits of the event loop', {
  timeout: 60_000,
}, async () => {
  const file = join(dir, 'webhooks.db');
  const stores = openSqliteStores(file);
  try {
    const sizeOf = (f: string) => statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    const before = sizeOf(file);
    // About 6 MB of events, committed in a few hundred transactions: far below the commits' own
    // checkpoint threshold (20,000 pages, 80 MB), far above SQLite's default one (1,000 pages).
    const payload = sampleEvent('RequestCreated');
    payload.data.justification = 'x'.repeat(4_000);
    for (let batch = 0; batch < 15; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          stores.events.insert({
            id: newId('Event'),
            accountId: 'acct_checkpoint',
            trigger: 'RequestCreated',
            payload,
            idempotencyKey: null,
            test: false,
            fannedOut: false,
            createdAt: new Date(),
          }),
        ),
      );
    }
    // Copied from the WAL into the database file by the thread (every 100 ms): no commit of this
    // connection runs from here on, so only the thread can make the file grow. The wait is for that
    // event; the deadline only bounds a failure, far beyond what a busy machine takes.
    const deadline = Date.now() + 50_000;
    while (sizeOf(file) - before < 5_000_000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sizeOf(file) - before).toBeGreaterThan(5_000_000);
  } finally {
    await stores.close();
  }
  // Closed: the thread is gone, and the file opens again with everything in it.
  const again = openSqliteStores(file);
  try {
    await again.ping();
  } finally {
    await again.close();
  }
});
