/**
 * The bench's webhook receiver, run as a child process (scripts/bench/receiver.ts starts it) so its
 * TLS and HTTP work is not charged to the service under test, which runs in the bench process.
 *
 * HTTPS with the test CA's certificate; answers 200 with a small JSON body. Optionally records, per
 * request, the moment its headers were parsed (monotonic clock, comparable across processes) and the
 * `id` of its JSON body; optionally holds every response until told to release them (memory scenario).
 */
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type ReceiverCommand =
  | { cmd: 'start'; cert: string; key: string }
  | { cmd: 'configure'; record: boolean; hold: boolean }
  | { cmd: 'stats'; reqId: number; takeTimings?: boolean }
  | { cmd: 'release'; reqId: number }
  | { cmd: 'stop' };

export type ReceiverMessage =
  | { type: 'listening'; port: number }
  | {
      type: 'stats';
      reqId: number;
      received: number;
      held: number;
      connections: number;
      /** [body id, µs on the monotonic clock when the request's headers were parsed]. */
      timings?: [string, number][];
    }
  | { type: 'released'; reqId: number; count: number };

const BODY = '{"ok":true}';
let record = false;
let hold = false;
let received = 0;
let connections = 0;
let timings: [string, number][] = [];
let held: ServerResponse[] = [];

const send = (message: ReceiverMessage) => process.send?.(message);

function respond(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
  res.end(BODY);
}

function start(cert: string, key: string) {
  const server = createServer({ cert, key }, (req, res) => {
    const at = Number(process.hrtime.bigint() / 1000n);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {});
    req.on('end', () => {
      received++;
      if (record) {
        try {
          const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id;
          timings.push([String(id), at]);
        } catch {
          timings.push(['?', at]);
        }
      }
      if (hold) held.push(res);
      else respond(res);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.maxHeadersCount = 100;
  server.on('connection', () => connections++);
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1', () => {
    send({ type: 'listening', port: (server.address() as AddressInfo).port });
  });
}

process.on('message', (message: ReceiverCommand) => {
  switch (message.cmd) {
    case 'start':
      start(message.cert, message.key);
      break;
    case 'configure':
      record = message.record;
      hold = message.hold;
      break;
    case 'stats': {
      const out: ReceiverMessage = {
        type: 'stats',
        reqId: message.reqId,
        received,
        held: held.length,
        connections,
      };
      if (message.takeTimings) {
        out.timings = timings;
        timings = [];
      }
      send(out);
      break;
    }
    case 'release': {
      const responses = held;
      held = [];
      for (const res of responses) if (!res.destroyed) respond(res);
      send({ type: 'released', reqId: message.reqId, count: responses.length });
      break;
    }
    case 'stop':
      process.exit(0);
  }
});
// The bench process died: do not linger.
process.on('disconnect', () => process.exit(0));
