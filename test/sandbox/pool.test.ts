import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { TemplateError } from '../../src/domain/template.js';
import { type SandboxEvent, SandboxPool } from '../../src/sandbox/pool.js';

/**
 * The pool's queueing on real worker threads: who is dispatched when, and what happens to the tasks
 * that shared a batch with one that overran. Orders of events only; no durations.
 */

const scope = sampleEvent('RequestCreated');
const FAST = '{"id": "{{ data.id }}"}';
// 200,000 turns: far more than the 10 ms that makes an account "slow" (one task per batch), far
// less than the 5 s budget its pool gets.
const SLOWISH =
  '{"n": {% assign r = (1..1000) %}{% for i in (1..200) %}{% for j in r %}{% endfor %}{% endfor %}1}';
// Runs until liquidjs's own render limit ends it.
const LONG =
  '{% assign r = (1..1000) %}{% for i in (1..100000) %}{% for j in r %}{% endfor %}{% endfor %}{"n": 1}';
// One filter call of seconds: only the pool's watchdog ends it.
const OVERRUN = '{% assign a = (1..2000000) | where: "x" %}{"n": {{ a | size }}}';

const pools: SandboxPool[] = [];
function pool(threads: number, renderMs = 250, batchWorkMs?: number) {
  const p = new SandboxPool({
    threads,
    memoryMb: 64,
    renderMs,
    validationMs: 250,
    maxNodes: 1_000_000,
    batchWorkMs,
  });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const account = (name: string) => `${name}_${randomBytes(4).toString('hex')}`;

function dispatches(p: SandboxPool, names: Record<string, string>) {
  const order: string[] = [];
  p.on((e: SandboxEvent) => {
    if (e.type === 'dispatched' && names[e.accountId]) order.push(names[e.accountId] as string);
  });
  return order;
}

describe('sandbox pool', () => {
  test.concurrent('accounts take turns: a slow account’s queue waits while the others go', async () => {
    const p = pool(1, 5_000);
    await p.warm();
    const [a, b, c] = [account('a'), account('b'), account('c')];
    const order = dispatches(p, { [a]: 'A', [b]: 'B', [c]: 'C' });
    // a1 goes to the thread at once; the rest queue behind it.
    const all = [
      p.render(a, SLOWISH, scope),
      p.render(a, SLOWISH, scope),
      p.render(a, SLOWISH, scope),
      p.render(a, SLOWISH, scope),
      p.render(b, FAST, scope),
      p.render(c, FAST, scope),
    ];
    await Promise.all(all);
    // After a1 the pool knows A's tasks are slow: one at a time, and B and C get their turns.
    expect(order).toEqual(['A', 'A', 'B', 'C', 'A', 'A']);
  });

  test.concurrent('no account holds every thread: another account’s task runs beside it', async () => {
    const p = pool(2, 3_000);
    await p.warm();
    const [a, b] = [account('a'), account('b')];
    const order = dispatches(p, { [a]: 'A', [b]: 'B' });
    const settledA: string[] = [];
    p.on((e) => {
      if (e.type === 'settled' && e.accountId === a) settledA.push(e.outcome);
    });
    const attacks = [p.render(a, LONG, scope), p.render(a, LONG, scope)];
    const other = await p.render(b, FAST, scope);
    expect(JSON.parse(other)).toEqual({ id: scope.data.id });
    // B went to the second thread while A's first task ran, and before A's second one.
    expect(order).toEqual(['A', 'B']);
    expect(settledA).toEqual([]);
    const failures = await Promise.all(attacks.map((r) => r.catch((e: unknown) => e)));
    for (const err of failures) {
      expect(err).toBeInstanceOf(TemplateError);
      expect((err as TemplateError).message).toBe('the template ran past its 3000 ms render budget');
    }
    expect(order).toEqual(['A', 'B', 'A']);
    expect(settledA).toHaveLength(2);
  });

  test.concurrent('the tasks that shared a batch with one that overran run again on a new thread', async () => {
    // Batches as large as the queue, whatever the account's recent speed.
    const p = pool(2, 250, 1e9);
    await p.warm();
    const a = account('a');
    const batches: number[] = [];
    p.on((e) => {
      if (e.type === 'dispatched' && e.accountId === a && batches.at(-1) !== e.batch) batches.push(e.batch);
    });
    const sizes = new Map<number, number>();
    p.on((e) => {
      if (e.type === 'dispatched' && e.accountId === a) sizes.set(e.batch, e.size);
    });
    const before = p.stats().replaced;
    // The first goes alone; the next four queue (A may hold one thread of two) and leave together
    // when it is done, the overrunning task first.
    const first = p.render(a, FAST, scope);
    const queued = [OVERRUN, FAST, FAST, FAST].map((template) => p.render(a, template, scope));
    await first;
    const [overran, ...rest] = await Promise.all(queued.map((r) => r.catch((e: unknown) => e)));
    expect((overran as Error).message).toBe('the template ran past its 250 ms render budget');
    for (const body of rest) expect(JSON.parse(body as string)).toEqual({ id: scope.data.id });
    expect(p.stats().replaced).toBe(before + 1);
    // The first alone, the four together, then the three that waited behind the overrun, again.
    expect(batches.map((b) => sizes.get(b))).toEqual([1, 4, 3]);
    expect(p.dispatchedFor(a)).toBe(8);
  });
});
