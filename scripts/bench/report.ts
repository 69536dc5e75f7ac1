import { writeFileSync } from 'node:fs';

/**
 * What every scenario returns, the table printed at the end of a run, and the JSON file (`--json FILE`).
 * The JSON shape is fixed by issue 6: `{"scenarios": [{"name", "store", "value", "unit", "baseline",
 * "ratio", "target"}]}`, one row per scenario and store; rows with a peer baseline (throughput: BullMQ on
 * Redis, ./peer.ts) also carry `peer` and `peerRatio`.
 */

export const SCENARIO_NAMES = [
  'throughput',
  'latency',
  'matching',
  'catalog',
  'logQuery',
  'fanout',
  'memory',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
/** The rows a run reports: one per scenario, and the health row of the logQuery scenario. */
export const ROW_NAMES = [...SCENARIO_NAMES, 'webhookHealth'] as const;
export type RowName = (typeof ROW_NAMES)[number];
export const STORE_NAMES = ['sqlite', 'mongodb'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/** A target: the value against an absolute bound, or the ratio against the baseline. */
export type Target =
  | { kind: 'report' }
  | { kind: 'value'; op: '<' | '<=' | '>='; bound: number }
  | { kind: 'ratio'; op: '<=' | '>='; bound: number }
  | {
      kind: 'both';
      ratio: { op: '<=' | '>='; bound: number };
      value: { op: '<' | '<=' | '>='; bound: number };
    };

export interface ScenarioResult {
  name: RowName;
  store: StoreName;
  value: number;
  unit: string;
  /** Measured in the same run; null where the issue names none (log queries, fan-out). */
  baseline: number | null;
  /** value / baseline, or null without a baseline. */
  ratio: number | null;
  /** The peer baseline (another product doing the same work, same run and unit), where there is one. */
  peer?: number;
  /** value / peer. */
  peerRatio?: number;
  /** The target in words, e.g. "≥ 0.6× baseline and ≥ 3000/s"; targets are for SQLite. */
  target: string;
  /** true / false when the target applies to this store; null where it is report-only. */
  met: boolean | null;
  /** What was measured, in words: sizes (reduced ones said so), the baseline, extra figures. */
  detail: string;
  /** Extra figures for the JSON file (p50s, sizes, sub-measurements). */
  extra?: Record<string, number | string>;
  seconds: number;
}

const OPS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>=': (a: number, b: number) => a >= b,
};

export function describeTarget(t: Target, unit: string): string {
  const sym = (op: string) => (op === '<=' ? '≤' : op === '>=' ? '≥' : op);
  const value = (v: { op: string; bound: number }) =>
    `${sym(v.op)} ${v.bound.toLocaleString('en-US')} ${unit}`;
  const ratio = (r: { op: string; bound: number }) => `${sym(r.op)} ${r.bound}× baseline`;
  switch (t.kind) {
    case 'report':
      return 'report';
    case 'value':
      return value(t);
    case 'ratio':
      return ratio(t);
    case 'both':
      return `${ratio(t.ratio)} and ${value(t.value)}`;
  }
}

export function checkTarget(t: Target, value: number, ratio: number | null): boolean | null {
  switch (t.kind) {
    case 'report':
      return null;
    case 'value':
      return OPS[t.op](value, t.bound);
    case 'ratio':
      return ratio === null ? null : OPS[t.op](ratio, t.bound);
    case 'both':
      return ratio !== null && OPS[t.ratio.op](ratio, t.ratio.bound) && OPS[t.value.op](value, t.value.bound);
  }
}

/** Builds a result row; the ratio is computed here so every row computes it the same way. */
export function result(
  row: Omit<ScenarioResult, 'ratio' | 'peerRatio' | 'met' | 'target' | 'seconds'> & {
    target: Target;
    /** Targets are for SQLite; on MongoDB (FerretDB in tests) the figures are reported only. */
    targetApplies: boolean;
    seconds?: number;
  },
): ScenarioResult {
  const ratio = row.baseline !== null && row.baseline !== 0 ? row.value / row.baseline : null;
  const { target, targetApplies, seconds = 0, ...rest } = row;
  return {
    ...rest,
    ratio,
    ...(row.peer !== undefined ? { peerRatio: row.value / row.peer } : {}),
    target: describeTarget(target, row.unit) + (targetApplies ? '' : ' (SQLite target; reported)'),
    met: targetApplies ? checkTarget(target, row.value, ratio) : null,
    seconds,
  };
}

export interface BenchReport {
  scenarios: {
    name: RowName;
    store: StoreName;
    value: number;
    unit: string;
    baseline: number | null;
    ratio: number | null;
    peer?: number;
    peerRatio?: number;
    target: string;
    met: boolean | null;
    detail: string;
    extra?: Record<string, number | string>;
  }[];
  mode: 'quick' | 'full';
  startedAt: string;
  seconds: number;
  machine: { cpus: number; node: string; platform: string };
}

export function toReport(
  rows: ScenarioResult[],
  meta: Pick<BenchReport, 'mode' | 'startedAt' | 'seconds' | 'machine'>,
): BenchReport {
  return {
    scenarios: rows.map((r) => ({
      name: r.name,
      store: r.store,
      value: round(r.value),
      unit: r.unit,
      baseline: r.baseline === null ? null : round(r.baseline),
      ratio: r.ratio === null ? null : round(r.ratio),
      ...(r.peer !== undefined
        ? { peer: round(r.peer), peerRatio: round(r.peerRatio ?? r.value / r.peer) }
        : {}),
      target: r.target,
      met: r.met,
      detail: r.detail,
      ...(r.extra ? { extra: r.extra } : {}),
    })),
    ...meta,
  };
}

export function writeReport(file: string, report: BenchReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** Three significant figures, at most three decimals: what the table shows, in the JSON too. */
export function round(n: number): number {
  if (!Number.isFinite(n) || n === 0) return n;
  const digits = Math.max(0, Math.min(3, 2 - Math.floor(Math.log10(Math.abs(n)))));
  return Number(n.toFixed(digits));
}

function fmt(n: number | null): string {
  if (n === null) return '—';
  const r = round(n);
  return Math.abs(r) >= 1000 ? r.toLocaleString('en-US') : String(r);
}

/**
 * A plain-text table (also valid Markdown), one row per scenario and store; `peer` and `peer ratio`
 * columns when some row has a peer baseline.
 */
export function formatTable(rows: ScenarioResult[]): string {
  const peers = rows.some((r) => r.peer !== undefined);
  const header = ['scenario', 'store', 'value', 'baseline', 'ratio'];
  if (peers) header.push('peer', 'peer ratio');
  header.push('target', 'met', 'measured');
  const body = rows.map((r) => [
    r.name,
    r.store,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === null ? '—' : `${fmt(r.baseline)} ${r.unit}`,
    r.ratio === null ? '—' : `${fmt(r.ratio)}×`,
    ...(peers
      ? [
          r.peer === undefined ? '—' : `${fmt(r.peer)} ${r.unit}`,
          r.peerRatio === undefined ? '—' : `${fmt(r.peerRatio)}×`,
        ]
      : []),
    r.target,
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
    r.detail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? 'measured'.length + 2 : w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
