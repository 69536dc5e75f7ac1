import { JSONPath } from 'jsonpath-plus';
import { describe, expect, test } from 'vitest';
import { compileJsonPath, firstMatch, MAX_PATH_DESCENTS } from '../../src/domain/json-path.js';
import { runValidators } from '../../src/sandbox/validators.js';

/** A small deterministic PRNG (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Keys that exercise jsonpath-plus's quirks: "*" and "$" and ".." as literal keys, "length" of
// strings and arrays, numeric keys of objects.
const KEYS = ['a', 'b', '0', '1', 'length', '*', '$', 'x-y', '..'];
const SCALARS: unknown[] = [0, 1, 2.5, '', 'text', 'ab', true, false, null];

function doc(next: () => number, depth: number): unknown {
  const r = next();
  if (depth <= 0 || r < 0.3) return SCALARS[Math.floor(next() * SCALARS.length)];
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => doc(next, depth - 1));
  const out: Record<string, unknown> = {};
  const n = Math.floor(next() * 4);
  for (let i = 0; i < n; i++) out[KEYS[Math.floor(next() * KEYS.length)] as string] = doc(next, depth - 1);
  return out;
}

const NAMES = ['a', 'b', '0', '1', 'length', 'x-y', '$', 'zz'];
function path(next: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)] as T;
  let p = '$.data';
  let descents = 0;
  const segments = 1 + Math.floor(next() * 4);
  for (let i = 0; i < segments; i++) {
    const name = pick(NAMES);
    const descend = descents < MAX_PATH_DESCENTS && next() < 0.3;
    if (descend) descents++;
    const forms = [
      `${descend ? '..' : '.'}${name}`,
      `${descend ? '..' : '.'}*`,
      `[${Math.floor(next() * 3)}]`,
      '[*]',
      `['${name}']`,
      `["${name}"]`,
    ];
    p += pick(forms);
  }
  return p;
}

describe('JSON paths', () => {
  test('the first match is jsonpath-plus’s first match, on generated documents and paths', () => {
    let compared = 0;
    let found = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const next = rng(seed);
      const data = doc(next, 5);
      for (let k = 0; k < 25; k++) {
        const p = path(next);
        const compiled = compileJsonPath(p);
        expect(compiled.evaluable, p).toBe(true);
        const expected = JSONPath({ path: p, json: { data }, eval: false, wrap: true }) as unknown[];
        const ours = firstMatch(compiled, { data }, { left: 1e9 });
        const label = `seed ${seed}: ${p} on ${JSON.stringify(data)}`;
        if (expected.length === 0) expect(ours, label).toEqual({ found: false });
        else {
          expect(ours, label).toEqual({ found: true, value: expected[0] });
          found++;
        }
        compared++;
      }
    }
    expect(compared).toBe(10_000);
    // The comparison means something only if many paths match.
    expect(found).toBeGreaterThan(1_000);
  });

  test('descents are counted from jsonpath-plus’s own reading of the path', () => {
    expect(compileJsonPath('$.data.a.b').descents).toBe(0);
    expect(compileJsonPath('$.data..a[0]..*').descents).toBe(2);
    // jsonpath-plus reads a quoted '..' as a descent too.
    expect(compileJsonPath("$.data['..']..x..y").descents).toBe(3);
    expect(compileJsonPath("$.data['a,b']").evaluable).toBe(false);
    expect(compileJsonPath("$.data['1:3']").evaluable).toBe(false);
  });

  test('a deep answer: two descents and no match stop at the node budget, without recursion', () => {
    const depth = 20_000;
    const body = Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    const outcome = runValidators([{ jsonPath: '$.data..a..zz', expectedValues: ['1'] }], body, true, {
      maxNodes: 100_000,
    });
    expect(outcome).toMatchObject({
      passed: false,
      overBudget: true,
      problem: 'the JSON path $.data..a..zz visited more than 100000 nodes',
    });
    // The same path on a shallow answer is cheap and finds its value.
    const shallow = runValidators(
      [{ jsonPath: '$.data..b..zz', expectedValues: ['ok'] }],
      Buffer.from(JSON.stringify({ a: { b: { c: { zz: 'ok' } } } })),
      true,
      { maxNodes: 100_000 },
    );
    expect(shallow).toMatchObject({ passed: true, overBudget: false, problem: null });
  });

  test('the validators of one response share one node budget, and stop at the first match', () => {
    const body = Buffer.from(JSON.stringify({ items: Array.from({ length: 1_000 }, (_, i) => ({ id: i })) }));
    // The first match is near the front: the 1,000 items are looked at once (put on the stack), not
    // searched through (jsonpath-plus built all 1,000 matches).
    const one = runValidators([{ jsonPath: '$.data..id', expectedValues: ['0'] }], body, true, {
      maxNodes: 2_100,
    });
    expect(one).toMatchObject({ passed: true, overBudget: false });
    // No match: every node is looked at, the budget runs out on the second validator.
    const two = runValidators(
      [
        { jsonPath: '$.data..missing', expectedValues: ['x'] },
        { jsonPath: '$.data..other', expectedValues: ['x'] },
      ],
      body,
      true,
      { maxNodes: 5_000 },
    );
    expect(two.overBudget).toBe(true);
    expect(two.problem).toBe('the JSON path $.data..other visited more than 5000 nodes');
  });
});
