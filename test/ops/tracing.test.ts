import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';
import {
  cleanupProcesses,
  graphql,
  type Server,
  startServer,
  stop,
  TEST_TIMEOUT_MS,
  tempDataDir,
} from '../support/process.js';
import { startReceiver } from '../support/receiver.js';
import { json } from '../support/routes.js';
import { testCa } from '../support/tls.js';

/**
 * Traces, end to end: main.ts as a process with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP
 * receiver on loopback (protobuf, the default, and JSON), a real delivery to an HTTPS receiver.
 */

afterAll(cleanupProcesses);

const PUBLISH = `mutation Publish($event: JSON!) {
  publishEvent(event: $event) { __typename ... on PublishEventSuccess { eventId invocations { id webhookId } } }
}`;

async function publishWithTraceparent(server: Server, event: unknown, traceparent: string) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.token}`,
      traceparent,
    },
    body: JSON.stringify({ query: PUBLISH, variables: { event }, operationName: 'Publish' }),
  });
  const body = (await res.json()) as {
    data: { publishEvent: { eventId: string; invocations: { id: string; webhookId: string }[] } };
  };
  return body.data.publishEvent;
}

/** A root field of a GraphQL answer, or the test fails saying what came back. */
function field<T>(data: Record<string, unknown> | null | undefined, name: string): T {
  const value = data?.[name];
  if (!value) throw new Error(`no ${name} in ${JSON.stringify(data)}`);
  return value as T;
}

const named = (spans: ReceivedSpan[], name: string, attribute?: [string, unknown]) =>
  spans.filter((s) => s.name === name && (!attribute || s.attributes[attribute[0]] === attribute[1]));

describe.concurrent.each(['http/protobuf', 'http/json'] as const)('traces over OTLP %s', (protocol) => {
  test.concurrent(
    'a publish and its delivery arrive as linked spans; the operation continues the caller’s trace',
    async ({ expect, onTestFinished }) => {
      const otlp = await startOtlpReceiver();
      onTestFinished(() => otlp.close());
      const receiver = await startReceiver({ handler: async (_req, res) => json(res, 200, { ok: true }) });
      onTestFinished(() => receiver.close());

      const server = await startServer(
        {
          DATA_DIR: tempDataDir(),
          SECRETS_KEY: randomBytes(32).toString('base64'),
          DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
          DISPATCH_RESOLVE: `${receiver.host}:443=127.0.0.1:${receiver.port}`,
          DISPATCH_CA_FILE: testCa().caFile,
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
          ...(protocol === 'http/json' ? { OTEL_EXPORTER_OTLP_PROTOCOL: protocol } : {}),
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
        },
        onTestFinished,
      );
      const created = await graphql(
        server,
        `mutation($url: String!) { createWebhook(input: {
          name: "traced", url: $url, triggers: [REQUEST_CREATED], bodyTemplate: "{\\"id\\": \\"{{ data.id }}\\"}"
        }) { __typename ... on CreateWebhookSuccess { webhook { id } } } }`,
        { url: receiver.url('/traced') },
      );
      const webhookId = field<{ webhook: { id: string } }>(created.data, 'createWebhook').webhook.id;
      const viewer = (await graphql(server, '{ viewer { accountId } }')).data?.viewer as {
        accountId: string;
      };

      const callerTrace = randomBytes(16).toString('hex');
      const callerSpan = randomBytes(8).toString('hex');
      const published = await publishWithTraceparent(
        server,
        sampleEvent('RequestCreated'),
        `00-${callerTrace}-${callerSpan}-01`,
      );
      const invocationId = published.invocations[0]?.id;

      const spans = await otlp.waitFor(
        (all) =>
          named(all, 'mutation Publish').length > 0 &&
          named(all, 'publish', ['event.id', published.eventId]).length > 0 &&
          named(all, 'attempt', ['invocation.id', invocationId]).length > 0,
      );
      expect(otlp.contentTypes[0]).toMatch(
        protocol === 'http/json' ? /^application\/json/ : /^application\/x-protobuf/,
      );
      const [operation] = named(spans, 'mutation Publish');
      const [publish] = named(spans, 'publish', ['event.id', published.eventId]);
      const [attempt] = named(spans, 'attempt', ['invocation.id', invocationId]);
      if (!operation || !publish || !attempt) throw new Error('spans missing');

      // The operation is a child of the caller's span.
      expect(operation).toMatchObject({
        traceId: callerTrace,
        parentSpanId: callerSpan,
        attributes: { 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Publish' },
        resource: { 'service.name': 'access-webhooks', 'deployment.environment': 'test' },
      });
      // The publish span starts the event's trace, with what it matched, linked to the operation.
      expect(publish).toMatchObject({
        parentSpanId: '',
        attributes: {
          'event.id': published.eventId,
          'event.trigger': 'RequestCreated',
          'account.id': viewer.accountId,
          'event.duplicate': false,
          'match.webhook_count': 1,
          'match.webhook_ids': [webhookId],
        },
        links: [{ traceId: operation.traceId, spanId: operation.spanId }],
      });
      // The attempt: in the event's trace, a child of its publish and linked to it, with its outcome.
      expect(attempt).toMatchObject({
        traceId: publish.traceId,
        parentSpanId: publish.spanId,
        links: [{ traceId: publish.traceId, spanId: publish.spanId }],
        statusCode: 0,
        attributes: {
          'webhook.id': webhookId,
          'account.id': viewer.accountId,
          'event.id': published.eventId,
          'attempt.number': 1,
          'attempt.outcome': 'success',
          'invocation.status': 'SUCCEEDED',
          'http.response.status_code': 200,
        },
      });
      const durationMs = attempt.attributes['attempt.duration_ms'] as number;
      expect(Number(attempt.endNs - attempt.startNs) / 1e6).toBeCloseTo(durationMs, 0);

      expect(await stop(server)).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});

test.concurrent(
  'a refused delivery is an error span; testWebhook’s attempt belongs to its operation',
  async ({ onTestFinished }) => {
    const otlp = await startOtlpReceiver();
    onTestFinished(() => otlp.close());
    const receiver = await startReceiver({ handler: async (_req, res) => json(res, 400, { no: true }) });
    onTestFinished(() => receiver.close());
    const server = await startServer(
      {
        DATA_DIR: tempDataDir(),
        DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
        DISPATCH_RESOLVE: `${receiver.host}:443=127.0.0.1:${receiver.port}`,
        DISPATCH_CA_FILE: testCa().caFile,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      onTestFinished,
    );
    const created = await graphql(
      server,
      `mutation($url: String!) { createWebhook(input: {
        name: "refused", url: $url, triggers: [REQUEST_CREATED], bodyTemplate: "{}"
      }) { __typename ... on CreateWebhookSuccess { webhook { id } } } }`,
      { url: receiver.url('/refused') },
    );
    const webhookId = field<{ webhook: { id: string } }>(created.data, 'createWebhook').webhook.id;
    const tested = await graphql(
      server,
      'mutation Try($id: ID!) { testWebhook(id: $id) { __typename ... on TestWebhookSuccess { invocation { id } } } }',
      { id: webhookId },
    );
    const invocationId = field<{ invocation: { id: string } }>(tested.data, 'testWebhook').invocation.id;
    const spans = await otlp.waitFor(
      (all) =>
        named(all, 'mutation Try').length > 0 &&
        named(all, 'attempt', ['invocation.id', invocationId]).length > 0,
    );
    const [operation] = named(spans, 'mutation Try');
    const [attempt] = named(spans, 'attempt', ['invocation.id', invocationId]);
    expect(attempt).toMatchObject({
      traceId: operation?.traceId,
      parentSpanId: operation?.spanId,
      links: [],
      statusCode: 2,
      attributes: {
        'invocation.test': true,
        'attempt.outcome': 'fail',
        'http.response.status_code': 400,
        'error.type': 'HTTP_STATUS',
      },
    });
    expect(await stop(server)).toEqual({ code: 0, signal: null });
  },
  TEST_TIMEOUT_MS,
);
