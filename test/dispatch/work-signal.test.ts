import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import {
  cleanupProcesses,
  graphqlData,
  logEntry,
  startServer,
  stop,
  tempDataDir,
} from '../support/process.js';
import { eventually, type Routes, startRoutes } from '../support/routes.js';
import { testCa } from '../support/tls.js';

/**
 * An `api` process and a `worker` process on one SQLite file: the worker polls only every ten
 * minutes, so a delivery within the test's time can only come from the api process's signal that
 * work was stored.
 */

afterAll(cleanupProcesses);

const gql = graphqlData;

test('a worker process is woken by the api process that stored the work, not by its poll', {
  timeout: 60_000,
}, async ({ onTestFinished }) => {
  const routes: Routes = await startRoutes();
  onTestFinished(() => routes.close());
  const route = routes.route();
  const dataDir = tempDataDir();
  const env = {
    DATA_DIR: dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
    DISPATCH_RESOLVE: `${routes.receiver.host}:443=127.0.0.1:${routes.receiver.port}`,
    DISPATCH_CA_FILE: testCa().caFile,
    DISPATCH_POLL_INTERVAL: '10m',
  };
  const api = await startServer({ ...env, ROLE: 'api' }, onTestFinished);
  const worker = await startServer({ ...env, ROLE: 'worker' }, onTestFinished);
  // Registered beside the database file before anything is published.
  await eventually(async () => logEntry(worker.stdout(), 'listening for work signals') !== null);

  const flowId = `flow_${randomBytes(4).toString('hex')}`;
  await gql(
    api,
    `mutation($url: String!, $flow: String!) { createWebhook(input: {
      name: "woken worker", url: $url, triggers: [REQUEST_CREATED],
      filters: { accessFlowIds: [$flow] }, bodyTemplate: "{\\"id\\": \\"{{ data.id }}\\"}"
    }) { ... on CreateWebhookSuccess { webhook { id } } ... on Error { message } } }`,
    { url: route.url(), flow: flowId },
  );
  for (let i = 0; i < 3; i++) {
    const event = sampleEvent('RequestCreated');
    event.data.id = `req_signal_${i}`;
    event.data.access_flow = { id: flowId, name: 'Flow under test' };
    await gql(api, 'mutation($e: JSON!) { publishEvent(event: $e) { __typename } }', { e: event });
    // Each one is delivered before the next is published: every publish woke the worker.
    await route.waitFor(i + 1, 30_000).catch((err) => {
      throw new Error(`${err}\nworker:\n${worker.stdout()}\n${worker.stderr()}\napi:\n${api.stdout()}`);
    });
  }
  expect(route.requests().map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([
    'req_signal_0',
    'req_signal_1',
    'req_signal_2',
  ]);
  expect(await stop(worker)).toEqual({ code: 0, signal: null });
});
