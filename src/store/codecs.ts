import type { Account, ApiKey } from '../domain/api-key.js';
import type { Invocation, StoredEvent } from '../domain/invocation.js';
import type { OperationalWebhook, StoredOperationalEvent } from '../domain/operational-event.js';
import { fillDefinitionDefaults, type Webhook } from '../domain/webhook.js';

/**
 * One codec per aggregate, shared by both stores: a record becomes a document (`_id` for `id`;
 * Dates stay Dates, which MongoDB keeps as BSON dates and JSON.stringify writes as ISO text), and
 * a stored document becomes a record again (either id spelling, Dates revived from BSON or text,
 * defaults for fields that records stored by older versions lack, adapter-only fields dropped).
 * A field added to an aggregate is handled here once, not in every adapter.
 */
export interface Codec<R extends { id: string }> {
  toDocument(record: R): Document<R>;
  fromDocument(doc: object): R;
}

export type Document<R extends { id: string }> = Omit<R, 'id'> & { _id: string };

interface CodecSpec<R> {
  /** Paths of Date fields; `*` steps into every element of an array (`attempts.*.startedAt`). */
  dates: string[];
  /** Fills fields that older documents lack, in place. */
  defaults?: (record: R) => void;
  /** Fields adapters store beside the record (index keys); dropped when reading. */
  stored?: string[];
}

function codec<R extends { id: string }>(spec: CodecSpec<R>): Codec<R> {
  const dates = spec.dates.map((path) => path.split('.'));
  const stored = spec.stored ?? [];
  return {
    toDocument(record) {
      const { id, ...rest } = record;
      return { _id: id, ...rest } as Document<R>;
    },
    fromDocument(doc) {
      const { _id, id, ...rest } = doc as Record<string, unknown> & { _id?: string; id?: string };
      const record = { id: _id ?? id, ...rest } as Record<string, unknown>;
      for (const field of stored) delete record[field];
      for (const path of dates) reviveDates(record, path, 0);
      spec.defaults?.(record as unknown as R);
      return record as unknown as R;
    },
  };
}

function reviveDates(node: unknown, path: string[], at: number): void {
  if (node === null || typeof node !== 'object') return;
  const step = path[at] as string;
  if (step === '*') {
    if (Array.isArray(node)) for (const item of node) reviveDates(item, path, at + 1);
    return;
  }
  const holder = node as Record<string, unknown>;
  if (at < path.length - 1) {
    reviveDates(holder[step], path, at + 1);
    return;
  }
  const value = holder[step];
  if (typeof value === 'string' || typeof value === 'number') holder[step] = new Date(value);
}

export const webhookCodec = codec<Webhook>({
  // `previous` was one secret or null before rotations could overlap: both spellings are read.
  dates: [
    'createdAt',
    'updatedAt',
    'failingSince',
    'signingSecrets.previous.expiresAt',
    'signingSecrets.previous.*.expiresAt',
  ],
  defaults: (record) => {
    fillDefinitionDefaults(record);
    const secrets = record.signingSecrets as { previous: unknown } | undefined;
    if (secrets && !Array.isArray(secrets.previous))
      secrets.previous = secrets.previous ? [secrets.previous] : [];
  },
  stored: ['nameKey', 'matchKeys', 'filtersFolded'],
});

export const invocationCodec = codec<Invocation>({
  dates: ['createdAt', 'updatedAt', 'completedAt', 'nextAttemptAt', 'leaseUntil', 'attempts.*.startedAt'],
  stored: ['attemptCount', 'superseded'],
});

export const eventCodec = codec<StoredEvent>({ dates: ['createdAt'] });

export const apiKeyCodec = codec<ApiKey>({ dates: ['createdAt', 'lastUsedAt', 'revokedAt'] });

export const accountCodec = codec<Account>({ dates: ['createdAt'] });

export const operationalEventCodec = codec<StoredOperationalEvent>({
  dates: ['occurredAt', 'delivery.nextAttemptAt', 'delivery.leaseUntil', 'delivery.deliveredAt'],
});

/** One per account: the account id is its id (`_id` in MongoDB). */
const operationalWebhookDocuments = codec<OperationalWebhook & { id: string }>({
  dates: ['createdAt', 'updatedAt'],
  stored: ['id'],
});
export const operationalWebhookCodec = {
  toDocument: (webhook: OperationalWebhook): Document<OperationalWebhook & { id: string }> =>
    operationalWebhookDocuments.toDocument({ id: webhook.accountId, ...webhook }),
  fromDocument: (doc: object): OperationalWebhook => operationalWebhookDocuments.fromDocument(doc),
};
