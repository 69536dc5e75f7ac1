import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { sampleEvent } from '../../src/domain/event.js';
import { renderBody } from '../../src/domain/template.js';
import type { RawClient } from './raw-client.js';
import type { BenchReceiver } from './receiver.js';
import type { ScenarioName, ScenarioResult, StoreName } from './report.js';
import { BODY_TEMPLATE, GraphqlClient, type MongoTarget } from './service.js';
import { nowMs } from './stats.js';

export interface ScenarioContext {
  store: StoreName;
  quick: boolean;
  mongo: MongoTarget | null;
  receiver: BenchReceiver;
  log: (message: string) => void;
  /** --profile DIR: each scenario's measured section is CPU-profiled into DIR. */
  profileDir?: string;
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;

export interface ScenarioModule {
  name: ScenarioName;
  run: Scenario;
}

/**
 * Sizes shrink on FerretDB (about 30 ms per write, sorted queries scan): a real MongoDB given by
 * MONGODB_URI gets the SQLite sizes.
 */
export function slowStore(ctx: ScenarioContext): boolean {
  return ctx.store === 'mongodb' && (ctx.mongo?.ferretdb ?? true);
}

/** A scenario's sizes: full run and --quick, on SQLite (or MongoDB) and on FerretDB. */
export interface Sizes<T> {
  full: T;
  quick: T;
  ferretdb: T;
  ferretdbQuick: T;
}

/** How the sizes used compare with the issue's: said in every row's detail. */
export function sizeNote(ctx: ScenarioContext): string {
  if (slowStore(ctx)) return ctx.quick ? ' (reduced on FerretDB, quick)' : ' (reduced on FerretDB)';
  return ctx.quick ? ' (quick)' : '';
}

export function sized<T>(ctx: ScenarioContext, sizes: Sizes<T>): T {
  if (slowStore(ctx)) return ctx.quick ? sizes.ferretdbQuick : sizes.ferretdb;
  return ctx.quick ? sizes.quick : sizes.full;
}

/**
 * Runs the measured section of a scenario, CPU-profiled (V8 sampling profiler, 200 µs) into
 * `<profileDir>/<label>.cpuprofile` when --profile is given; read it with scripts/bench/profile-summary.ts
 * or Chrome DevTools. Only this process is profiled: the service, not the receiver or the clients.
 */
export async function measured<T>(
  ctx: ScenarioContext,
  label: string,
  section: () => Promise<T>,
): Promise<T> {
  if (!ctx.profileDir) return section();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await section();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(ctx.profileDir, { recursive: true });
    const file = join(ctx.profileDir, `${label}-${ctx.store}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    ctx.log(`CPU profile of ${label} on ${ctx.store}: ${file}`);
  }
}

/** The event every scenario publishes: the sample RequestCreated event with a unique request id. */
export function benchEvent(id: string) {
  const event = sampleEvent('RequestCreated');
  event.data.id = id;
  // Every event from another requester, as in life (matching must not depend on events repeating).
  event.data.requester.email = `${id}@requesters.example`;
  return event;
}

/** The body the service sends for a bench event, for the raw-client baselines. */
export function renderedBody(id = 'req_bench'): Promise<string> {
  return renderBody(BODY_TEMPLATE, benchEvent(id));
}

/** Runs `count` POSTs with `concurrency` at once; returns requests per second. */
export async function rawLoop(client: RawClient, body: string, count: number, concurrency: number) {
  let next = 0;
  const started = nowMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await client.post(body);
      }
    }),
  );
  return count / ((nowMs() - started) / 1000);
}

export { RawClient } from './raw-client.js';
export { GraphqlClient };
