import { Child } from './child.js';
import type { PublisherCommand, PublisherMessage } from './publisher-process.js';

export type Published = Extract<PublisherMessage, { type: 'published' }>;

/** The producer in a child process (./publisher-process.ts), publishing to one service. */
const forkPublisher = () =>
  new Child<PublisherCommand, PublisherMessage>(
    new URL('./publisher-process.ts', import.meta.url),
    'publisher',
  );

/** A publisher process started ahead of its use (see Publisher.prefork). */
let preforked: ReturnType<typeof forkPublisher> | null = null;

export class Publisher {
  readonly #child = preforked ?? forkPublisher();

  private constructor() {
    preforked = null;
  }

  /**
   * Starts the process of the next `connect` now, so that it loads while the caller starts the
   * service (call it before a setup, not before a measurement).
   */
  static prefork(): void {
    preforked ??= forkPublisher();
  }

  static async connect(origin: string, token: string, connections: number): Promise<Publisher> {
    const publisher = new Publisher();
    await publisher.#child.request({ cmd: 'connect', reqId: 0, origin, token, connections });
    return publisher;
  }

  /** Publishes `count` events; rejects when any publish failed or matched another number of webhooks. */
  async publish(options: {
    prefix: string;
    count: number;
    concurrency: number;
    rate?: number;
    matches?: number;
    batch?: number;
  }): Promise<Published> {
    const result = await this.#child.request<Published>({
      cmd: 'publish',
      reqId: 0,
      matches: 1,
      ...options,
    });
    if (result.failures) {
      throw new Error(`${result.failures} of ${options.count} publishes failed: ${result.firstFailure}`);
    }
    return result;
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}
