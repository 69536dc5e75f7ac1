/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, the same
 * grouped by package or source file, and the total time under functions matching --focus.
 *
 *   node --cpu-prof --cpu-prof-dir=prof --expose-gc --import tsx scripts/bench.ts --store sqlite --scenario throughput
 *   node --import tsx scripts/bench/profile-summary.ts prof/CPU.*.cpuprofile [--top 40] [--focus name,…]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function where(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return (rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]) ?? url;
  }
  if (url.startsWith('node:')) return url;
  const src = url.search(/\/(src|scripts|test)\//);
  return src >= 0 ? url.slice(src + 1) : url;
}

export function summarise(profile: Profile, top: number, focus: string[]): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  const focusTotal = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id) as ProfileNode;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'}  ${where(url)}:${lineNumber + 1}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
    fileSelf.set(where(url), (fileSelf.get(where(url)) ?? 0) + us);
    // Inclusive time of focused functions: each sample counts once per focus name on its stack.
    const seen = new Set<string>();
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as ProfileNode).callFrame;
      const name = frame.functionName;
      const fnKey = `${name || '(anonymous)'}  ${where(frame.url)}:${frame.lineNumber + 1}`;
      if (!counted.has(fnKey)) {
        counted.add(fnKey);
        inclusive.set(fnKey, (inclusive.get(fnKey) ?? 0) + us);
      }
      for (const f of focus) {
        if (name === f && !seen.has(f)) {
          seen.add(f);
          focusTotal.set(f, (focusTotal.get(f) ?? 0) + us);
        }
      }
    }
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  const out = [
    `total sampled: ${(total / 1000).toFixed(0)} ms`,
    '',
    '== self time by function ==',
    list(fnSelf, top),
    '',
    '== self time by package / file ==',
    list(fileSelf, 25),
    '',
    '== inclusive time by function (src/ only) ==',
    list(new Map([...inclusive].filter(([k]) => k.includes(' src/'))), top),
  ];
  if (focus.length) out.push('', '== inclusive time of --focus functions ==', list(focusTotal, focus.length));
  return out.join('\n');
}

const entry = process.argv[1];
if (entry?.endsWith('profile-summary.ts')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '40' }, focus: { type: 'string', default: '' } },
  });
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const focus = values.focus.split(',').filter(Boolean);
    process.stdout.write(`# ${file}\n${summarise(profile, Number(values.top), focus)}\n\n`);
  }
}
