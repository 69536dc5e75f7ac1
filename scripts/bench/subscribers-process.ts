/**
 * The fan-out scenario's subscribers, run as a child process (./fanout.ts starts it) so their work is
 * not charged to the service: N graphql-ws clients (ws + graphql-ws createClient, the API key in
 * connectionParams), each subscribed to invocationUpdated; every update's arrival is timestamped on
 * the monotonic clock, which the bench process shares.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export type SubscribersCommand =
  | { cmd: 'connect'; reqId: number; url: string; token: string; count: number; query: string }
  | { cmd: 'timings'; reqId: number }
  | { cmd: 'close'; reqId: number };

export type SubscribersMessage =
  | { type: 'connected'; reqId: number; errors: number; firstError?: string }
  | { type: 'timings'; reqId: number; received: [string, number][]; errors: number; firstError?: string }
  | { type: 'closed'; reqId: number };

const micros = () => Number(process.hrtime.bigint() / 1000n);
const send = (m: SubscribersMessage) => process.send?.(m);
const clients: { client: Client; dispose: () => void }[] = [];
let received: [string, number][] = [];
let errors = 0;
let firstError: string | undefined;

function fail(err: unknown) {
  errors++;
  firstError ??= err instanceof Error ? err.message : JSON.stringify(err);
}

async function connect(c: Extract<SubscribersCommand, { cmd: 'connect' }>) {
  const opened: Promise<void>[] = [];
  for (let i = 0; i < c.count; i++) {
    let connected!: () => void;
    opened.push(new Promise<void>((resolve) => (connected = resolve)));
    const client = createClient({
      url: c.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${c.token}` },
      lazy: false,
      retryAttempts: 0,
      on: { connected: () => connected(), error: fail },
    });
    const dispose = client.subscribe<{ invocationUpdated: { id: string } }>(
      { query: c.query },
      {
        next: (value) => {
          const at = micros();
          const id = value.data?.invocationUpdated.id;
          if (id) received.push([id, at]);
          else fail(value.errors ?? value);
        },
        error: fail,
        complete: () => {},
      },
    );
    clients.push({ client, dispose });
    // Open the connections in small waves, as many browsers would, not 1,000 handshakes at once.
    if (i % 50 === 49) await Promise.all(opened.slice(-50));
  }
  await Promise.all(opened);
  send({ type: 'connected', reqId: c.reqId, errors, firstError });
}

process.on('message', (m: SubscribersCommand) => {
  if (m.cmd === 'connect') void connect(m).catch(fail);
  else if (m.cmd === 'timings') {
    send({ type: 'timings', reqId: m.reqId, received, errors, firstError });
    received = [];
  } else if (m.cmd === 'close') {
    void Promise.all(
      clients.map(async ({ client, dispose }) => {
        dispose();
        await client.dispose();
      }),
    ).then(() => send({ type: 'closed', reqId: m.reqId }));
  }
});
process.on('disconnect', () => process.exit(0));
