import { Agent } from 'undici';

/** Where the bench's receiver listens and what it takes to trust it (a BenchReceiver has all three). */
export interface ReceiverAddress {
  host: string;
  port: number;
  caPem: string;
}

/**
 * The baseline client: a raw undici keep-alive Agent POSTing to the same receiver, over TLS with the
 * same CA and host name, with the headers a delivery carries. No GraphQL, store, template or guard.
 * Imports nothing of the service, so the peer's worker process (./peer-worker-process.ts) uses it too.
 */
export class RawClient {
  readonly #agent: Agent;
  readonly #origin: string;
  readonly #path: string;

  /** `connections`: at most this many per origin (undici's default: no limit, one per request in flight). */
  constructor(receiver: ReceiverAddress, path = '/raw', connections?: number) {
    this.#agent = new Agent({
      keepAliveTimeout: 60_000,
      connect: { ca: [receiver.caPem], servername: receiver.host },
      ...(connections ? { connections } : {}),
    });
    this.#origin = `https://127.0.0.1:${receiver.port}`;
    this.#path = path;
  }

  /** One POST; resolves when the whole response has been read. */
  async post(body: string): Promise<void> {
    const res = await this.#agent.request({
      origin: this.#origin,
      path: this.#path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'access-webhooks/0.1 (+https://github.com/access-webhooks)',
        'webhook-id': 'inv_0000000000000000000000',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
      },
      body,
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`raw client: HTTP ${res.statusCode}`);
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
