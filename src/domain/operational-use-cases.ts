import { fail, ok, type Result, ValidationError } from './errors.js';
import {
  type OperationalWebhook,
  type OperationalWebhookInput,
  type StoredOperationalEvent,
  validateOperationalWebhook,
} from './operational-event.js';
import type { Page, PageArgs } from './pagination.js';
import { parsePageArgs } from './pagination.js';
import type { OperationalStore } from './ports.js';
import { newSigningSecret, type SecretBox } from './secrets.js';
import type { StoredHeader } from './webhook.js';
import type { Caller } from './webhook-use-cases.js';

/** The account's operational webhook and its operational events. Resolvers map these results. */

export interface OperationalDeps {
  operational: OperationalStore;
  secrets: SecretBox;
  now?: () => Date;
  /** The CIDR ranges the delivery guard lets through (DISPATCH_ALLOWED_CIDRS); see WebhookDeps. */
  allowedCidrs?: readonly string[];
}

export interface SetOperationalWebhookInput extends OperationalWebhookInput {
  /** Replace the signing secret even though one exists (the old one stops signing at once). */
  rotateSigningSecret?: boolean | null;
}

/**
 * Sets (creates or replaces) the account's operational webhook. A header sent without a value keeps
 * the stored one (matched by name, case-insensitively). The signing secret is made when the account
 * has no operational webhook yet (or on `rotateSigningSecret`) and returned only then: changing the
 * URL or the headers keeps signing with the secret receivers already have.
 */
export async function setOperationalWebhook(
  deps: OperationalDeps,
  caller: Caller,
  input: SetOperationalWebhookInput,
): Promise<Result<{ webhook: OperationalWebhook; signingSecret: string | null }, ValidationError>> {
  const valid = validateOperationalWebhook(input, deps.allowedCidrs ?? []);
  if (!valid.ok) return valid;
  const existing = await deps.operational.getWebhook(caller.accountId);
  const stored = new Map((existing?.headers ?? []).map((h) => [h.name.toLowerCase(), h.value]));
  const headers: StoredHeader[] = [];
  const errors: { path: string[]; message: string }[] = [];
  valid.value.headers.forEach((h, i) => {
    const kept = h.value === undefined ? stored.get(h.name.toLowerCase()) : undefined;
    if (h.value !== undefined) {
      headers.push({ name: h.name, value: deps.secrets.encrypt(h.value, caller.accountId) });
    } else if (kept) {
      headers.push({ name: h.name, value: kept });
    } else {
      errors.push({ path: ['headers', String(i), 'value'], message: 'is required for a new header' });
    }
  });
  if (errors.length) return fail(new ValidationError(errors));
  const now = (deps.now ?? (() => new Date()))();
  const signingSecret = !existing || input.rotateSigningSecret ? newSigningSecret() : null;
  const webhook: OperationalWebhook = {
    accountId: caller.accountId,
    url: valid.value.url,
    headers,
    signingSecret:
      signingSecret === null
        ? (existing as OperationalWebhook).signingSecret
        : deps.secrets.encrypt(signingSecret, caller.accountId),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.operational.putWebhook(webhook);
  return ok({ webhook, signingSecret });
}

export async function getOperationalWebhook(
  deps: Pick<OperationalDeps, 'operational'>,
  caller: Caller,
): Promise<OperationalWebhook | null> {
  return deps.operational.getWebhook(caller.accountId);
}

/** Removes the operational webhook: events are still kept and sent live, and no longer POSTed. */
export async function clearOperationalWebhook(
  deps: Pick<OperationalDeps, 'operational'>,
  caller: Caller,
): Promise<{ cleared: boolean }> {
  return { cleared: await deps.operational.deleteWebhook(caller.accountId) };
}

export async function listOperationalEvents(
  deps: Pick<OperationalDeps, 'operational'>,
  caller: Caller,
  args: PageArgs,
): Promise<Result<Page<StoredOperationalEvent>, ValidationError>> {
  const page = parsePageArgs(args, 'OperationalEvent');
  if (page instanceof ValidationError) return fail(page);
  return ok(await deps.operational.listEvents(caller.accountId, page));
}
