import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { sampleEvent } from '../src/domain/event.js';
import { renderBodySync } from '../src/domain/template.js';
import { createSandbox } from '../src/sandbox/index.js';

/**
 * The cost of rendering through the sandbox's worker threads instead of on the event loop, in one
 * process: `node --import tsx scripts/sandbox-overhead.ts [renders]` (SANDBOX_THREADS=3 … lets one
 * account use two threads).
 *
 * - in-thread: renderBodySync in a loop (the parse cache warm), what deliveries did before.
 * - pool, one at a time: each render awaited before the next (the latency of a lone delivery).
 * - pool, 64 in flight: as the dispatcher drives it (DISPATCH_CONCURRENCY), so queued renders of one
 *   account coalesce into batches. "main thread" is the event loop's busy time per render (what the
 *   other accounts and /healthz wait for); "wall" is elapsed time per render.
 */

const renders = Number(process.argv[2] ?? 20_000);
const TEMPLATES: [string, string][] = [
  [
    'bench body (5 fields)',
    '{"id": "{{ data.id }}", "type": "{{ event_type }}", "text": "{{ data.requester.name }} asks for ' +
      '{{ data.access_groups.[0].integration.name }}: {{ data.justification }}"}',
  ],
  [
    'servicenow-incident.liquid',
    readFileSync(new URL('../test/fixtures/templates/servicenow-incident.liquid', import.meta.url), 'utf8'),
  ],
];

function event(i: number) {
  const e = sampleEvent('RequestCreated');
  e.data.id = `req_${i}`;
  return e;
}

// SANDBOX_THREADS and the other settings from the environment, as the server reads them.
const sandbox = createSandbox(loadConfig(process.env));
const fmt = (us: number) => `${us.toFixed(1)} µs`;

try {
  for (const [name, template] of TEMPLATES) {
    const events = Array.from({ length: renders }, (_, i) => event(i));
    // Warm both: parse caches, JIT, worker threads started.
    for (let i = 0; i < 2_000; i++) renderBodySync(template, events[i % events.length] as object);
    await Promise.all(
      Array.from({ length: 2_000 }, (_, i) => sandbox.render('warm', template, events[i % 100] as object)),
    );

    let t = performance.now();
    for (const e of events) renderBodySync(template, e);
    const inThread = ((performance.now() - t) * 1000) / renders;

    const sequential = Math.min(renders, 5_000);
    let elu = performance.eventLoopUtilization();
    t = performance.now();
    for (let i = 0; i < sequential; i++) await sandbox.render('acct', template, events[i] as object);
    const seqWall = ((performance.now() - t) * 1000) / sequential;
    let used = performance.eventLoopUtilization(elu);
    const seqMain = (used.active * 1000) / sequential;

    const before = sandbox.stats();
    elu = performance.eventLoopUtilization();
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < renders) await sandbox.render('acct', template, events[next++] as object);
      }),
    );
    const conWall = ((performance.now() - t) * 1000) / renders;
    used = performance.eventLoopUtilization(elu);
    const conMain = (used.active * 1000) / renders;
    const after = sandbox.stats();
    const perBatch = (after.dispatched - before.dispatched) / (after.batches - before.batches);

    console.log(`\n${name}, ${renders} renders, ${sandbox.stats().threads} threads`);
    console.log(`  in-thread                 ${fmt(inThread)} per render (all of it on the event loop)`);
    console.log(
      `  pool, one at a time       wall ${fmt(seqWall)} (${(seqWall / inThread).toFixed(1)}×), main thread ${fmt(seqMain)} (${(seqMain / inThread).toFixed(2)}×)`,
    );
    console.log(
      `  pool, 64 in flight        wall ${fmt(conWall)} (${(conWall / inThread).toFixed(2)}×), main thread ${fmt(conMain)} (${(conMain / inThread).toFixed(2)}×), ${perBatch.toFixed(1)} renders per message`,
    );
  }
} finally {
  await sandbox.close();
}
