/**
 * `npm run bench` — the performance benchmarks of issue 6, on the SQLite store and on MongoDB.
 *
 *   npm run bench                                  # full run, both stores (several minutes)
 *   npm run bench -- --quick                       # under a minute, reduced sizes
 *   npm run bench -- --json out.json               # also write the figures as JSON
 *   npm run bench -- --store sqlite --scenario throughput
 *
 * Everything it needs starts here: the service in this process (createRuntime + createApp on port 0),
 * an HTTPS receiver in a child process, and FerretDB for MongoDB unless MONGODB_URI is set. Every figure
 * is reported next to a baseline measured in the same run where the issue names one; absolute numbers
 * depend on the machine. See the README's Performance section.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { catalog } from './bench/catalog.js';
import type { ScenarioContext } from './bench/context.js';
import { fanout } from './bench/fanout.js';
import { runIsolated } from './bench/isolated.js';
import { latency } from './bench/latency.js';
import { logQuery } from './bench/log-query.js';
import { matching } from './bench/matching.js';
import { memory } from './bench/memory.js';
import { BenchReceiver } from './bench/receiver.js';
import {
  formatTable,
  SCENARIO_NAMES,
  type ScenarioName,
  type ScenarioResult,
  STORE_NAMES,
  type StoreName,
  toReport,
  writeReport,
} from './bench/report.js';
import type { MongoTarget } from './bench/service.js';
import { throughput } from './bench/throughput.js';
import { type FerretdbInstance, startFerretdb } from './ferretdb.js';

/** Each scenario's rows: one, or (logQuery) one per thing it measures. */
const SCENARIOS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioResult | ScenarioResult[]>> =
  {
    throughput,
    latency,
    matching,
    catalog,
    logQuery,
    fanout,
    // In a fresh process: RSS readings must not start from what the scenarios before left behind
    // (quick runs, which report rough figures, save the process start).
    memory: (ctx) => (ctx.quick ? memory(ctx) : runIsolated(ctx, 'memory')),
  };

const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--store sqlite|mongodb|both] [--scenario NAME[,NAME…]] [--profile DIR]
scenarios: ${SCENARIO_NAMES.join(', ')}`;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      store: { type: 'string', default: 'both' },
      scenario: { type: 'string', multiple: true },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const stores: StoreName[] =
    values.store === 'both' ? [...STORE_NAMES] : STORE_NAMES.filter((s) => s === values.store);
  if (stores.length === 0) throw new Error(`--store must be sqlite, mongodb or both (got ${values.store})`);
  const requested = (values.scenario ?? []).flatMap((s) => s.split(',')).map((s) => s.trim());
  const unknown = requested.filter((s) => !(SCENARIO_NAMES as readonly string[]).includes(s));
  if (unknown.length)
    throw new Error(`unknown scenario ${unknown.join(', ')}; one of ${SCENARIO_NAMES.join(', ')}`);
  const scenarios = requested.length ? (requested as ScenarioName[]) : [...SCENARIO_NAMES];
  return { quick: values.quick, json: values.json, stores, scenarios, profileDir: values.profile };
}

async function isFerretdb(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    return typeof info.ferretdbVersion === 'string';
  } finally {
    await client.close();
  }
}

async function main(): Promise<number> {
  const options = parseCli(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  if (typeof globalThis.gc !== 'function') {
    log('run with node --expose-gc (npm run bench does) for the memory scenario to collect garbage first');
  }

  let ferretdb: FerretdbInstance | undefined;
  let mongo: MongoTarget | null = null;
  const receiver = await BenchReceiver.start();
  const rows: ScenarioResult[] = [];
  try {
    if (options.stores.includes('mongodb')) {
      let uri = process.env.MONGODB_URI;
      if (!uri) {
        log('MONGODB_URI is not set; starting a throwaway FerretDB 1.24');
        ferretdb = await startFerretdb({ log: (m) => log(`ferretdb: ${m}`) });
        uri = ferretdb.uri;
      }
      const runId = Date.now().toString(36) + randomBytes(3).toString('hex');
      mongo = { uri, runId, ferretdb: await isFerretdb(uri) };
    }
    log(
      `${options.quick ? 'quick' : 'full'} run: ${options.scenarios.join(', ')} on ${options.stores.join(', ')}` +
        (mongo ? ` (mongodb: ${mongo.ferretdb ? 'FerretDB, reduced sizes' : 'MongoDB'})` : ''),
    );
    for (const name of options.scenarios) {
      for (const store of options.stores) {
        // Each scenario starts from a collected heap, not with the garbage of the one before.
        globalThis.gc?.();
        const started = performance.now();
        log(`${name} on ${store}…`);
        const made = await SCENARIOS[name]({
          store,
          quick: options.quick,
          mongo,
          receiver,
          log,
          profileDir: options.profileDir,
        });
        const seconds = (performance.now() - started) / 1000;
        for (const row of Array.isArray(made) ? made : [made]) {
          row.seconds = seconds;
          rows.push(row);
          log(`${row.name} on ${store}: ${row.value.toFixed(2)} ${row.unit} (${seconds.toFixed(1)} s)`);
        }
      }
    }
  } finally {
    await receiver.stop();
    await ferretdb?.stop();
  }

  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  process.stdout.write(
    `${options.quick ? 'quick' : 'full'} run, ${seconds.toFixed(1)} s, ${availableParallelism()} CPUs, ` +
      `Node ${process.version}. Targets are for SQLite; ratios are against baselines measured in this run.\n`,
  );
  if (options.json) {
    writeReport(
      options.json,
      toReport(rows, {
        mode: options.quick ? 'quick' : 'full',
        startedAt: startedAt.toISOString(),
        seconds: Math.round(seconds * 10) / 10,
        machine: { cpus: availableParallelism(), node: process.version, platform: process.platform },
      }),
    );
    process.stdout.write(`wrote ${options.json}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n${USAGE}\n`);
    process.exit(1);
  },
);
