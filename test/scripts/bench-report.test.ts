import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  formatTable,
  ROW_NAMES,
  result,
  STORE_NAMES,
  toReport,
  writeReport,
} from '../../scripts/bench/report.js';

/** The bench's output (scripts/bench/report.ts): the JSON shape issue 6 fixes, and the table. */

const dir = mkdtempSync(join(tmpdir(), 'wh-bench-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = [
  result({
    name: 'throughput',
    store: 'sqlite',
    value: 3_456.789,
    unit: 'deliveries/s',
    baseline: 5_000,
    target: { kind: 'both', ratio: { op: '>=', bound: 0.6 }, value: { op: '>=', bound: 3_000 } },
    targetApplies: true,
    detail: '20,000 events',
  }),
  result({
    name: 'logQuery',
    store: 'mongodb',
    value: 12.3456,
    unit: 'ms',
    baseline: null,
    target: { kind: 'value', op: '<', bound: 10 },
    targetApplies: false,
    detail: '10,000 stored (reduced on FerretDB)',
  }),
  result({
    name: 'matching',
    store: 'sqlite',
    value: 1.5,
    unit: 'ms',
    baseline: 1,
    target: { kind: 'ratio', op: '<=', bound: 1.2 },
    targetApplies: true,
    detail: '10,000 webhooks',
  }),
];

describe('bench report', () => {
  test('the JSON file has one row per scenario and store with the documented fields', () => {
    const file = join(dir, 'out.json');
    writeReport(
      file,
      toReport(rows, {
        mode: 'quick',
        startedAt: new Date(0).toISOString(),
        seconds: 1,
        machine: { cpus: 2, node: 'v20', platform: 'linux' },
      }),
    );
    const json = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Record<string, unknown>[] };
    expect(json.scenarios).toHaveLength(3);
    for (const row of json.scenarios) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(['name', 'store', 'value', 'unit', 'baseline', 'ratio', 'target']),
      );
      expect(ROW_NAMES).toContain(row.name);
      expect(STORE_NAMES).toContain(row.store);
      expect(typeof row.value).toBe('number');
      expect(typeof row.target).toBe('string');
    }
    const [throughput, logQuery, matching] = json.scenarios;
    expect(throughput).toMatchObject({ value: 3457, baseline: 5000, ratio: 0.691, met: true });
    expect(logQuery).toMatchObject({ value: 12.3, baseline: null, ratio: null, met: null });
    expect(matching).toMatchObject({ ratio: 1.5, met: false, target: '≤ 1.2× baseline' });
  });

  test('the table names every row, its ratio and whether its target is met', () => {
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(
      /^\| scenario +\| store +\| value +\| baseline +\| ratio +\| target +\| met +\| measured \|$/,
    );
    expect(table).toHaveLength(2 + rows.length);
    expect(table[2]).toContain('3,457 deliveries/s');
    expect(table[2]).toContain('0.691×');
    expect(table[2]).toContain('| yes |');
    expect(table[3]).toContain('(SQLite target; reported)');
    expect(table[4]).toContain('| NO  |');
  });
});
