import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';

const dir = mkdtempSync(join(tmpdir(), 'wh-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;

/** A database file with a table t(k PRIMARY KEY), its writer's GroupCommit, and a second connection. */
function open() {
  const file = join(dir, `db-${++files}.sqlite`);
  const db = openDatabase(file);
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  const reader = new Database(file, { readonly: true });
  const keys = () => (reader.prepare('SELECT k FROM t ORDER BY k').all() as { k: string }[]).map((r) => r.k);
  return { db, file, writes: GroupCommit.of(db), insert, keys, reader };
}

test.concurrent('the writes of one turn commit together, after the turn, and each resolves with its value', async () => {
  const { writes, insert, keys, db, reader } = open();
  const a = writes.statement(() => insert.run('a').changes);
  const b = writes.run(() => {
    insert.run('b1');
    return insert.run('b2').changes;
  });
  // Nothing is committed (or even run) before this turn ends.
  expect(keys()).toEqual([]);
  await expect(Promise.all([a, b])).resolves.toEqual([1, 1]);
  expect(keys()).toEqual(['a', 'b1', 'b2']);
  expect(db.inTransaction).toBe(false);
  reader.close();
  db.close();
});

test.concurrent('a failing statement rejects alone; the writes before and after it commit', async () => {
  const { writes, insert, keys, db, reader } = open();
  await writes.statement(() => insert.run('dup'));
  const before = writes.statement(() => insert.run('before'));
  const failing = writes.statement(() => insert.run('dup'));
  const after = writes.statement(() => insert.run('after'));
  await expect(failing).rejects.toThrow(/UNIQUE constraint failed: t\.k/);
  await expect(before).resolves.toMatchObject({ changes: 1 });
  await expect(after).resolves.toMatchObject({ changes: 1 });
  expect(keys()).toEqual(['after', 'before', 'dup']);
  reader.close();
  db.close();
});

test.concurrent('a failing write of several statements is undone whole; the others commit', async () => {
  const { writes, insert, keys, db, reader } = open();
  await writes.statement(() => insert.run('taken'));
  const other = writes.statement(() => insert.run('other'));
  const failing = writes.run(() => {
    insert.run('half');
    insert.run('taken');
  });
  await expect(failing).rejects.toThrow(/UNIQUE constraint failed/);
  await expect(other).resolves.toMatchObject({ changes: 1 });
  // 'half' ran before the failure, and was undone with it.
  expect(keys()).toEqual(['other', 'taken']);
  reader.close();
  db.close();
});

test.concurrent('flush commits the queued writes at once (as closing the store does)', async () => {
  const { writes, insert, db, file, reader } = open();
  const queued = writes.statement(() => insert.run('queued'));
  writes.flush();
  db.close();
  await expect(queued).resolves.toMatchObject({ changes: 1 });
  reader.close();
  const again = new Database(file, { readonly: true });
  expect(again.prepare('SELECT k FROM t').all()).toEqual([{ k: 'queued' }]);
  again.close();
});

test.concurrent('a write that throws outside SQL rejects alone and leaves the batch running', async () => {
  const { writes, insert, keys, db, reader } = open();
  const thrown = writes.run(() => {
    insert.run('undone');
    throw new Error('not stored');
  });
  const kept = writes.statement(() => insert.run('kept'));
  await expect(thrown).rejects.toThrow('not stored');
  await expect(kept).resolves.toMatchObject({ changes: 1 });
  expect(keys()).toEqual(['kept']);
  reader.close();
  db.close();
});

test.concurrent('while another connection holds the write lock, writes wait without blocking the event loop', async () => {
  const { writes, insert, keys, db, file, reader } = open();
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  other.prepare('INSERT INTO t (k) VALUES (?)').run('other');
  // What happens, in order: 'try' each time the batch tries to take the write lock (GroupCommit sets
  // busy_timeout to 0 for that try, so it fails at once instead of waiting inside SQLite), 'turn' each
  // time this test's own code runs again after giving the event loop a turn.
  const seen: ('try' | 'turn')[] = [];
  const pragma = db.pragma.bind(db);
  db.pragma = ((source: string, options?: { simple?: boolean }) => {
    if (source === 'busy_timeout = 0') seen.push('try');
    return pragma(source, options);
  }) as typeof db.pragma;
  let settled = false;
  const waiting = writes
    .statement(() => insert.run('mine'))
    .then((r) => {
      settled = true;
      return r;
    });
  // Counted in events, not in time: wait (turn by turn) until the batch has tried three times. Had
  // the first try waited for the lock inside SQLite, no turn of ours could come between two tries,
  // and the write would have failed with SQLITE_BUSY while the lock is still held. (The one clock
  // left is the connection's 5 s busy timeout, after which GroupCommit gives up retrying: three
  // tries take about 3 ms.)
  while (seen.filter((e) => e === 'try').length < 3) {
    await setTimeout(1);
    seen.push('turn');
  }
  const tries = seen.flatMap((e, i) => (e === 'try' ? [i] : []));
  expect(seen.slice(tries[0], tries[2])).toContain('turn');
  expect(settled).toBe(false);
  expect(keys()).toEqual([]);
  other.exec('COMMIT');
  await expect(waiting).resolves.toMatchObject({ changes: 1 });
  expect(keys()).toEqual(['mine', 'other']);
  other.close();
  reader.close();
  db.close();
});
