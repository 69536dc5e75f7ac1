import type { Account, ApiKey } from './api-key.js';
import type { Trigger } from './event.js';
import type { FilterOption, FilterSighting } from './filter-option.js';
import type { HealthRollup } from './health.js';
import type { Invocation, InvocationStatus, StoredEvent } from './invocation.js';
import type { OperationalWebhook, StoredOperationalEvent } from './operational-event.js';
import type { Page } from './pagination.js';
import type { FilterDimension, Webhook, WebhookStatus } from './webhook.js';

/**
 * Storage ports, one per aggregate. Every method takes the account id: tenant isolation lives in
 * the signatures, so no call can reach another account's records by forgetting a filter.
 * Implementations: ../store/sqlite (embedded default) and ../store/mongo; test/store runs one contract suite on both.
 */

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
  /**
   * What matching reads: the active webhooks with this trigger that share a match key with the event
   * (domain/matching.ts), found through an index, so webhooks that cannot match are not read. A
   * superset of the matches: the caller checks the filters.
   */
  listMatchCandidates(accountId: string, trigger: Trigger, eventKeys: string[]): Promise<Webhook[]>;
  count(accountId: string): Promise<number>;
  /**
   * Records when the webhook's current run of failed deliveries began (null: the last delivery
   * succeeded). A targeted write, not a new version of the definition.
   */
  setFailingSince(accountId: string, id: string, at: Date | null): Promise<void>;
}

export type IdempotencyClaim = { claimed: true } | { claimed: false; eventId: string };

/** One published event with the invocations its fan-out made. */
export interface FannedOutEvent {
  event: StoredEvent;
  invocations: Invocation[];
}

export interface EventStore {
  insert(event: StoredEvent): Promise<void>;
  /**
   * Stores published events with their invocations: what a publish that matched its webhooks
   * before writing anything stores. Each event is all or nothing where the store has transactions
   * (SQLite: one transaction for the batch, a savepoint per event, the event stored fanned out);
   * elsewhere (MongoDB) the events go first, unmarked, then the invocations, then the marks, so a
   * crash in between leaves events that the fan-out sweep completes. Rejects if any event failed.
   */
  insertFannedOut(batch: FannedOutEvent[]): Promise<void>;
  get(accountId: string, id: string): Promise<StoredEvent | null>;
  markFannedOut(accountId: string, id: string): Promise<void>;
  /**
   * Maps an idempotency key to an event id, unless a mapping newer than `expiresBefore` exists
   * (then that event id is returned). A mapping older than that, or one pointing at `orphanEventId`
   * (an event the caller found missing), is replaced.
   */
  claimIdempotencyKey(
    accountId: string,
    key: string,
    eventId: string,
    now: Date,
    expiresBefore: Date,
    orphanEventId?: string,
  ): Promise<IdempotencyClaim>;
  /** Published events (not test events), newest first: what previewWebhook runs a definition against. */
  listRecent(accountId: string, limit: number): Promise<StoredEvent[]>;
  /** For the fan-out sweep, across accounts: events whose fan-out did not finish, created before `before`. */
  listUnfannedOut(before: Date, limit: number): Promise<StoredEvent[]>;
  /** Retention, across accounts: deletes up to `limit` events created before `before` that no invocation refers to. */
  deleteOrphansBefore(before: Date, limit: number): Promise<number>;
  /** Retention: forgets idempotency keys older than `before`. */
  deleteIdempotencyKeysBefore(before: Date): Promise<number>;
}

export interface InvocationListQuery {
  first: number;
  after?: string;
  webhookId?: string;
  status?: InvocationStatus;
  eventId?: string;
  test?: boolean;
}

export interface ClaimRequest {
  now: Date;
  owner: string;
  leaseUntil: Date;
  limit: number;
  /** Webhooks already at their per-webhook concurrency limit in this worker. */
  excludeWebhookIds: string[];
}

export interface InvocationStore {
  /** Inserts all; one whose fanoutKey already exists is skipped (a re-run fan-out adds nothing). */
  insertMany(invocations: Invocation[]): Promise<void>;
  get(accountId: string, id: string): Promise<Invocation | null>;
  /** Newest first. */
  list(accountId: string, query: InvocationListQuery): Promise<Page<Invocation>>;
  /**
   * Across accounts, for workers: up to `limit` due invocations (PENDING or RETRYING with
   * nextAttemptAt <= now, or IN_FLIGHT with an expired lease), oldest due first, now leased to `owner`.
   */
  claimDue(request: ClaimRequest): Promise<Invocation[]>;
  /**
   * Writes an invocation back after an attempt if `owner` still holds its lease; false when the lease
   * was lost (another worker re-claimed it after expiry), in which case nothing is written.
   */
  saveLeased(invocation: Invocation, owner: string): Promise<boolean>;
  /** Replaces an invocation that no worker holds (tests, supersede marks). */
  save(invocation: Invocation): Promise<void>;
  /**
   * FIFO queues (Invocation.orderingKey): makes due, at `now`, the oldest held invocation of every
   * queue whose head has finished (or that has none yet), so at most one invocation per queue is
   * ever due or in flight, across processes. Returns the invocations it made due; cheap (one read)
   * when no queue needs a new head.
   */
  promoteFifoHeads(now: Date): Promise<Invocation[]>;
  /** Puts every invocation leased to `owner` back to its previous due state; returns how many. */
  releaseLeases(owner: string, now: Date): Promise<number>;
  /** FAILED, non-test, not superseded invocations of a webhook created at or after `since`, oldest first. */
  listRecoverable(accountId: string, webhookId: string, since: Date, limit: number): Promise<Invocation[]>;
  /** Retention, across accounts: deletes up to `limit` finished (SUCCEEDED or FAILED) invocations created before `before`. */
  deleteFinishedBefore(before: Date, limit: number): Promise<number>;
  /** Queue depth for metrics, across accounts. */
  countByStatus(): Promise<Record<InvocationStatus, number>>;
  /**
   * A webhook's health (domain/health.ts says what counts): finished deliveries per hour and attempt
   * durations per hour, for the hours in [from, to) that have any, and the deliveries retrying now.
   */
  health(accountId: string, webhookId: string, from: Date, to: Date): Promise<HealthRollup>;
}

/** The filter catalog's storage (domain/filter-catalog.ts): one row per account, dimension and value. */
export interface FilterOptionStore {
  /**
   * Adds sightings: counts add up, the later lastSeenAt wins and brings its label. Then keeps, per
   * account and dimension written to, the `keep` most recently seen values (ties may keep a few more).
   */
  record(sightings: FilterSighting[], keep: number): Promise<void>;
  /** Most recently seen first; `search` is a case-insensitive substring of the value or the label. */
  list(
    accountId: string,
    dimension: FilterDimension,
    query: { search?: string; first: number },
  ): Promise<FilterOption[]>;
  /** Which of `values` the catalog holds. */
  known(accountId: string, dimension: FilterDimension, values: string[]): Promise<Set<string>>;
}

/** Rate limits (Webhook.rateLimit), shared by every process: delivery slots per webhook and window. */
export interface DeliveryQuotaStore {
  /**
   * Takes up to `want` of the `limit` slots of the window that starts at `windowStart`; returns how
   * many it got (0 when the window is used up, or when another process's clock is already past it).
   */
  take(accountId: string, webhookId: string, windowStart: Date, want: number, limit: number): Promise<number>;
}

/**
 * Operational events (domain/operational-event.ts) with their delivery to the account's operational
 * webhook, and that webhook: one per account.
 */
export interface OperationalStore {
  getWebhook(accountId: string): Promise<OperationalWebhook | null>;
  /** Creates or replaces the account's operational webhook. */
  putWebhook(webhook: OperationalWebhook): Promise<void>;
  /** False when the account had none. */
  deleteWebhook(accountId: string): Promise<boolean>;
  insertEvent(event: StoredOperationalEvent): Promise<void>;
  /** Newest first. */
  listEvents(
    accountId: string,
    query: { first: number; after?: string },
  ): Promise<Page<StoredOperationalEvent>>;
  /**
   * Across accounts, for workers: up to `limit` events whose delivery is due (PENDING with
   * nextAttemptAt <= now, or IN_FLIGHT with an expired lease), now leased to `owner`.
   */
  claimDueDeliveries(request: Omit<ClaimRequest, 'excludeWebhookIds'>): Promise<StoredOperationalEvent[]>;
  /** Writes an event's delivery back if `owner` still holds its lease; false when it was lost. */
  saveDelivery(event: StoredOperationalEvent, owner: string): Promise<boolean>;
  /** Retention, across accounts: deletes up to `limit` events that happened before `before` and are not due. */
  deleteEventsBefore(before: Date, limit: number): Promise<number>;
}

export interface ApiKeyStore {
  insertAccount(account: Account): Promise<void>;
  insert(key: ApiKey): Promise<void>;
  /** Authentication, before any account is known: the one lookup not scoped by account. */
  findByHash(hash: string): Promise<ApiKey | null>;
  get(accountId: string, id: string): Promise<ApiKey | null>;
  /** Newest first. */
  list(accountId: string, query: { first: number; after?: string }): Promise<Page<ApiKey>>;
  /** Sets revokedAt (once); returns the key, or null when the account has no such key. */
  revoke(accountId: string, id: string, at: Date): Promise<ApiKey | null>;
  touch(id: string, at: Date): Promise<void>;
  /** Whether any key exists in any account (first start). */
  any(): Promise<boolean>;
  /** True for exactly one caller ever: who creates the first account on an empty store. */
  claimBootstrap(): Promise<boolean>;
}

/**
 * Tells the dispatchers of other processes that work was stored, so they claim it at once instead
 * of at their next poll (which stays, for a lost signal). Only a store whose processes can reach
 * each other cheaply has one (SQLite: the processes of one file are on one machine).
 */
export interface WorkSignal {
  /** Calls `onSignal` whenever another process signals; registers this process as a listener. */
  listen(owner: string, onSignal: () => void): Promise<void>;
  /** Work was stored: signal every listener (coalesced per event-loop turn). */
  notify(): void;
  close(): void;
}

export interface Stores {
  readonly kind: 'sqlite' | 'mongodb';
  readonly workSignal?: WorkSignal;
  readonly webhooks: WebhookStore;
  readonly events: EventStore;
  readonly invocations: InvocationStore;
  readonly apiKeys: ApiKeyStore;
  readonly filterOptions: FilterOptionStore;
  readonly operational: OperationalStore;
  readonly quotas: DeliveryQuotaStore;
  /** Resolves when the backing database answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
