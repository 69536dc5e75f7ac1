import type { Trigger } from '../domain/event.js';
import type { Webhook, WebhookStatus } from '../domain/webhook.js';

/**
 * Storage ports, one per aggregate. Every method takes the account id: tenant isolation lives in
 * the signatures, so no call can reach another account's records by forgetting a filter.
 * Implementations: ./sqlite (embedded default) and ./mongo; test/store runs one contract suite on both.
 */

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

export interface WebhookListQuery {
  /** Page size, already bounded by the caller. */
  first: number;
  /** Id of the last item of the previous page; the list is newest first. */
  after?: string;
  status?: WebhookStatus;
  trigger?: Trigger;
  /** Case-insensitive substring of the name. */
  nameContains?: string;
}

export type InsertResult = 'ok' | 'duplicate_name';
export type UpdateResult = 'ok' | 'not_found' | 'duplicate_name' | 'stale';

export interface WebhookStore {
  insert(webhook: Webhook): Promise<InsertResult>;
  get(accountId: string, id: string): Promise<Webhook | null>;
  list(accountId: string, query: WebhookListQuery): Promise<Page<Webhook>>;
  /** Replaces the stored webhook if its version is still `expectedVersion` (compare-and-set). */
  update(webhook: Webhook, expectedVersion: number): Promise<UpdateResult>;
  delete(accountId: string, id: string): Promise<boolean>;
}

export interface Stores {
  readonly kind: 'sqlite' | 'mongodb';
  readonly webhooks: WebhookStore;
  /** Resolves when the backing database answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
