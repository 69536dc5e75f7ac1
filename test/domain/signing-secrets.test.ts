import { randomBytes } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { SecretBox } from '../../src/domain/secrets.js';
import { liveSigningSecrets } from '../../src/domain/webhook.js';
import {
  MAX_OVERLAPPING_SECRETS,
  rotateWebhookSigningSecret,
  SIGNING_SECRET_GRACE_MS,
} from '../../src/domain/webhook-use-cases.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { storedWebhook } from '../support/factories.js';

const stores = openSqliteStores(':memory:');
afterAll(() => stores.close());
const secrets = new SecretBox(randomBytes(32));
const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 0, 1);

async function rotatedAt(ms: number, id: string, accountId: string) {
  const deps = { webhooks: stores.webhooks, secrets, now: () => new Date(ms) };
  return rotateWebhookSigningSecret(deps, { accountId }, id);
}

test('each rotation keeps the replaced secret signing for its own overlap, and expired ones go', async () => {
  const w = storedWebhook(secrets);
  expect(await stores.webhooks.insert(w)).toBe('ok');
  const first = await rotatedAt(t0, w.id, w.accountId);
  const second = await rotatedAt(t0 + HOUR, w.id, w.accountId);
  if (!first.ok || !second.ok) throw new Error('rotation failed');
  const stored = second.value.webhook.signingSecrets;
  const plain = (at: number) => liveSigningSecrets(stored, at).map((s) => secrets.decrypt(s, w.accountId));
  const original = secrets.decrypt(w.signingSecrets.current, w.accountId);
  const afterFirst = first.value.signingSecret;
  // Inside both overlaps: the current secret and both replaced ones sign.
  expect(plain(t0 + 2 * HOUR)).toEqual([second.value.signingSecret, original, afterFirst]);
  // The first overlap ended at t0 + 24 h, the second ends an hour later.
  expect(plain(t0 + SIGNING_SECRET_GRACE_MS + 1)).toEqual([second.value.signingSecret, afterFirst]);
  expect(plain(t0 + HOUR + SIGNING_SECRET_GRACE_MS + 1)).toEqual([second.value.signingSecret]);
  // A rotation drops what expired.
  const third = await rotatedAt(t0 + SIGNING_SECRET_GRACE_MS + 1, w.id, w.accountId);
  if (!third.ok) throw new Error('rotation failed');
  expect(third.value.webhook.signingSecrets.previous).toHaveLength(2);
});

test(`at most ${MAX_OVERLAPPING_SECRETS} replaced secrets sign at once`, async () => {
  const w = storedWebhook(secrets);
  expect(await stores.webhooks.insert(w)).toBe('ok');
  for (let i = 0; i < MAX_OVERLAPPING_SECRETS; i++) {
    expect((await rotatedAt(t0 + i * 1000, w.id, w.accountId)).ok).toBe(true);
  }
  const refused = await rotatedAt(t0 + HOUR, w.id, w.accountId);
  expect(refused.ok).toBe(false);
  if (refused.ok) return;
  expect(refused.error.code).toBe('CONFLICT');
  expect(refused.error.message).toMatch(/already has 10 replaced secrets/);
  const unchanged = await stores.webhooks.get(w.accountId, w.id);
  expect(unchanged?.signingSecrets.previous).toHaveLength(MAX_OVERLAPPING_SECRETS);
  // Once the oldest overlap ends, rotating works again.
  expect((await rotatedAt(t0 + SIGNING_SECRET_GRACE_MS + 1, w.id, w.accountId)).ok).toBe(true);
});
