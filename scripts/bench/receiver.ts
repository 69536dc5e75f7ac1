import type { ResolveRule } from '../../src/config/index.js';
import { testCa } from '../../test/support/tls.js';
import { Child } from './child.js';
import type { ReceiverCommand, ReceiverMessage } from './receiver-process.js';

type Stats = Extract<ReceiverMessage, { type: 'stats' }>;

/**
 * The HTTPS receiver every scenario sends to: a child process (./receiver-process.ts) with the test
 * CA's certificate (test/support/tls.ts, made with openssl), reached as `https://<host>/…` through a
 * DISPATCH_RESOLVE rule and the 127.0.0.0/8 allow-list, so deliveries take the real SSRF-guarded path.
 */
export class BenchReceiver {
  readonly host = 'bench-receiver.loopback.test';
  readonly #child: Child<ReceiverCommand, ReceiverMessage>;
  port = 0;

  private constructor() {
    this.#child = new Child(new URL('./receiver-process.ts', import.meta.url), 'receiver');
  }

  static async start(): Promise<BenchReceiver> {
    const receiver = new BenchReceiver();
    const { cert, key } = testCa();
    const listening = receiver.#child.once<Extract<ReceiverMessage, { type: 'listening' }>>('listening');
    receiver.#child.send({ cmd: 'start', cert, key });
    receiver.port = (await listening).port;
    return receiver;
  }

  /** The CA bundle the service and the raw client trust (DISPATCH_CA_FILE). */
  get caFile(): string {
    return testCa().caFile;
  }

  get caPem(): string {
    return testCa().caPem;
  }

  url(path = '/hook'): string {
    return `https://${this.host}${path}`;
  }

  get resolveRule(): ResolveRule {
    return { host: this.host, port: 443, address: '127.0.0.1', addressPort: this.port };
  }

  /** The dispatch settings that point the service's real outbound client at this receiver. */
  get dispatchEnv(): Record<string, string> {
    return {
      DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
      DISPATCH_RESOLVE: `${this.host}:443=127.0.0.1:${this.port}`,
      DISPATCH_CA_FILE: this.caFile,
    };
  }

  configure(options: { record?: boolean; hold?: boolean }): void {
    this.#child.send({ cmd: 'configure', record: options.record ?? false, hold: options.hold ?? false });
  }

  stats(takeTimings = false): Promise<Stats> {
    return this.#child.request<Stats>({ cmd: 'stats', reqId: 0, takeTimings });
  }

  async release(): Promise<number> {
    const answer = await this.#child.request<Extract<ReceiverMessage, { type: 'released' }>>({
      cmd: 'release',
      reqId: 0,
    });
    return answer.count;
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}
