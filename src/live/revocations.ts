/**
 * Announces revoked API keys inside this process, so open WebSocket connections and SSE
 * subscriptions of a revoked key end at once (HTTP requests re-authenticate every time anyway).
 */
export class KeyRevocations {
  readonly #listeners = new Set<(apiKeyId: string) => void>();

  notify(apiKeyId: string): void {
    for (const listener of this.#listeners) listener(apiKeyId);
  }

  subscribe(listener: (apiKeyId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
