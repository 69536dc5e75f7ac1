import { ConflictError, fail, NotFoundError, ok, type Result, ValidationError } from './errors.js';
import type { Trigger } from './event.js';
import { type FieldWarning, type FilterCatalog, unseenFilterValueWarnings } from './filter-catalog.js';
import { isIdOf, newId } from './ids.js';
import { newOperationalEvent, type OperationalEventSink } from './operational-event.js';
import type { Page } from './pagination.js';
import { type PageArgs, parsePageArgs } from './pagination.js';
import type { WebhookStore } from './ports.js';
import { newSigningSecret, type SecretBox } from './secrets.js';
import type { UntrustedWork } from './untrusted-work.js';
import {
  DEFINITION_FIELDS,
  type StoredHeader,
  type StoredOAuth,
  type ValidDefinition,
  validateDefinition,
  type Webhook,
  type WebhookDefinitionInput,
  type WebhookStatus,
} from './webhook.js';

/** Webhook definition use cases. Resolvers parse input and map these results; nothing else. */

export interface WebhookDeps {
  webhooks: WebhookStore;
  secrets: SecretBox;
  /** Where templates are rendered when a definition is validated (src/sandbox, off the event loop). */
  sandbox: UntrustedWork;
  now?: () => Date;
  /** How many webhooks one account may define (unlimited when absent). */
  maxWebhooksPerAccount?: number;
  /** What saved filters are checked against (warnings for values no event carried); absent: no check. */
  filterCatalog?: FilterCatalog;
  /** Told when a system-deactivated webhook is set ACTIVE again, or a webhook is deactivated (operational events). */
  onOperationalEvent?: OperationalEventSink;
  /**
   * The CIDR ranges the delivery guard lets through (DISPATCH_ALLOWED_CIDRS): a URL whose host is an IP
   * literal outside them that the guard refuses is refused at save (absent: none is let through).
   */
  allowedCidrs?: readonly string[];
}

/** A saved webhook, with what in it is allowed but looks wrong. */
export interface SavedWebhook {
  webhook: Webhook;
  warnings: FieldWarning[];
}

async function warningsFor(deps: WebhookDeps, webhook: Webhook): Promise<FieldWarning[]> {
  return deps.filterCatalog
    ? unseenFilterValueWarnings(deps.filterCatalog, webhook.accountId, webhook.filters)
    : [];
}

export interface Caller {
  accountId: string;
}

const UPDATE_ATTEMPTS = 5;

export async function createWebhook(
  deps: WebhookDeps,
  caller: Caller,
  input: WebhookDefinitionInput,
): Promise<Result<SavedWebhook & { signingSecret: string }>> {
  const draft = await draftWebhook(deps, caller, input);
  if (!draft.ok) return draft;
  const limit = deps.maxWebhooksPerAccount;
  // Checked before the insert: concurrent creates can overshoot by a few, never by many.
  if (limit !== undefined && (await deps.webhooks.count(caller.accountId)) >= limit) {
    return fail(new ConflictError(`this account already has the maximum of ${limit} webhooks`));
  }
  const inserted = await deps.webhooks.insert(draft.value.webhook);
  if (inserted === 'duplicate_name') return fail(duplicateName(draft.value.webhook.name));
  return ok({ ...draft.value, warnings: await warningsFor(deps, draft.value.webhook) });
}

/**
 * A validated webhook with its secrets sealed and a new signing secret, not stored: what
 * createWebhook inserts, and what testWebhook sends with for an unsaved definition.
 */
export async function draftWebhook(
  deps: WebhookDeps,
  caller: Caller,
  input: WebhookDefinitionInput,
): Promise<Result<{ webhook: Webhook; signingSecret: string }, ValidationError>> {
  const valid = await validateDefinition(input, templateCheck(deps, caller), {
    allowedCidrs: deps.allowedCidrs ?? [],
  });
  if (!valid.ok) return valid;
  const sealed = sealSecrets(deps, caller, valid.value, null);
  if (!sealed.ok) return sealed;
  const now = (deps.now ?? (() => new Date()))();
  const signingSecret = newSigningSecret();
  const webhook: Webhook = {
    id: newId('Webhook'),
    accountId: caller.accountId,
    ...valid.value,
    ...sealed.value,
    disabledReason: null,
    signingSecrets: { current: deps.secrets.encrypt(signingSecret, caller.accountId), previous: [] },
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return ok({ webhook, signingSecret });
}

/** A saved webhook (`id`) or an unsaved definition (`input`): what a test or a preview runs. */
export interface DefinitionTarget {
  id?: string | null;
  input?: WebhookDefinitionInput | null;
}

/** The saved webhook, or the definition validated like createWebhook would (errors under "input"). */
export async function targetWebhook(
  deps: WebhookDeps,
  caller: Caller,
  { id, input }: DefinitionTarget,
): Promise<Result<Webhook, ValidationError | NotFoundError>> {
  if ((id == null) === (input == null)) {
    return fail(
      new ValidationError([
        { path: [id != null ? 'input' : 'id'], message: 'give exactly one of id or input' },
      ]),
    );
  }
  if (id != null) {
    const found = await getWebhook(deps, caller, id);
    return found ? ok(found) : fail(new NotFoundError(`no webhook with id ${JSON.stringify(id)}`));
  }
  const draft = await draftWebhook(deps, caller, input ?? {});
  return draft.ok ? ok(draft.value.webhook) : fail(draft.error.under('input'));
}

/** How long the replaced secret keeps signing after a rotation, so receivers can roll over. */
export const SIGNING_SECRET_GRACE_MS = 24 * 3_600_000;
/** Replaced secrets that may sign at once (each adds a signature to every delivery). */
export const MAX_OVERLAPPING_SECRETS = 10;

export async function rotateWebhookSigningSecret(
  deps: Omit<WebhookDeps, 'sandbox'>,
  caller: Caller,
  id: string,
): Promise<Result<{ webhook: Webhook; signingSecret: string }>> {
  const signingSecret = newSigningSecret();
  let tooMany = false;
  const result = await modifyWebhook(deps, caller, id, (existing, now) => {
    // Expired secrets sign nothing any more: they go; every live one keeps its own expiry.
    const live = existing.signingSecrets.previous.filter((p) => p.expiresAt > now);
    tooMany = live.length >= MAX_OVERLAPPING_SECRETS;
    if (tooMany) return null;
    return {
      ...existing,
      signingSecrets: {
        current: deps.secrets.encrypt(signingSecret, caller.accountId),
        previous: [
          ...live,
          {
            secret: existing.signingSecrets.current,
            expiresAt: new Date(now.getTime() + SIGNING_SECRET_GRACE_MS),
          },
        ],
      },
    };
  });
  if (tooMany) {
    return fail(
      new ConflictError(
        `this webhook already has ${MAX_OVERLAPPING_SECRETS} replaced secrets still signing; rotate again once the oldest expires`,
      ),
    );
  }
  return result.ok ? ok({ webhook: result.value, signingSecret }) : result;
}

/** Deactivates a webhook on the system's behalf (410 Gone, failing for days), with the reason shown. */
export async function disableWebhook(
  deps: Omit<WebhookDeps, 'sandbox'>,
  caller: Caller,
  id: string,
  reason: string,
): Promise<Result<Webhook>> {
  let wasActive = false;
  const result = await modifyWebhook(deps, caller, id, (existing) => {
    wasActive = existing.status === 'ACTIVE';
    return { ...existing, status: 'INACTIVE', disabledReason: reason };
  });
  // The deactivation is the event: a webhook that was already off (an admin's doing, or another
  // worker's verdict on a delivery in flight at the same time) gets the reason, not a second event.
  if (result.ok && wasActive) {
    deps.onOperationalEvent?.(
      newOperationalEvent({
        accountId: caller.accountId,
        type: 'WEBHOOK_DISABLED',
        webhookId: id,
        invocationId: null,
        reason,
        occurredAt: result.value.updatedAt,
      }),
    );
  }
  return result;
}

/** The sandbox's template check, charged to the caller's account (its queue in the pool). */
function templateCheck(deps: Pick<WebhookDeps, 'sandbox'>, caller: Caller) {
  return (template: string, scopes: object[]) =>
    deps.sandbox.checkTemplate(caller.accountId, template, scopes);
}

/** Read, change, compare-and-set, again on a concurrent change. */
async function modifyWebhook(
  deps: Omit<WebhookDeps, 'sandbox'>,
  caller: Caller,
  id: string,
  change: (existing: Webhook, now: Date) => Webhook | null,
): Promise<Result<Webhook>> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const existing = await getWebhook(deps, caller, id);
    if (!existing) return fail(webhookNotFound(id));
    const now = (deps.now ?? (() => new Date()))();
    const changed = change(existing, now);
    // No change to make: the webhook as it is.
    if (!changed) return ok(existing);
    const webhook = { ...changed, version: existing.version + 1, updatedAt: now };
    const result = await deps.webhooks.update(webhook, existing.version);
    if (result === 'ok') return ok(webhook);
    if (result === 'not_found') return fail(webhookNotFound(id));
  }
  return fail(new ConflictError('the webhook is being changed concurrently; try again'));
}

export async function updateWebhook(
  deps: WebhookDeps,
  caller: Caller,
  id: string,
  patch: WebhookDefinitionInput,
): Promise<Result<SavedWebhook>> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const existing = await getWebhook(deps, caller, id);
    if (!existing) return fail(webhookNotFound(id));
    const valid = await validateDefinition(mergePatch(existing, patch), templateCheck(deps, caller), {
      allowedCidrs: deps.allowedCidrs ?? [],
      // Stored before the address rule: an update that keeps them is not refused for them.
      stored: [existing.url, ...(existing.oauth ? [existing.oauth.tokenEndpointUrl] : [])],
    });
    if (!valid.ok) return valid;
    const sealed = sealSecrets(deps, caller, valid.value, existing);
    if (!sealed.ok) return sealed;
    const reactivated = existing.status === 'INACTIVE' && valid.value.status === 'ACTIVE';
    const webhook: Webhook = {
      ...existing,
      ...valid.value,
      ...sealed.value,
      // An admin turning a webhook back on takes responsibility for whatever disabled it.
      disabledReason: reactivated ? null : existing.disabledReason,
      failingSince: reactivated ? null : existing.failingSince,
      version: existing.version + 1,
      updatedAt: (deps.now ?? (() => new Date()))(),
    };
    const result = await deps.webhooks.update(webhook, existing.version);
    if (result === 'ok') {
      if (reactivated && existing.disabledReason !== null) {
        deps.onOperationalEvent?.(
          newOperationalEvent({
            accountId: caller.accountId,
            type: 'WEBHOOK_ENABLED',
            webhookId: id,
            invocationId: null,
            reason: `set ACTIVE again by an admin (it was ${existing.disabledReason})`,
            occurredAt: webhook.updatedAt,
          }),
        );
      }
      return ok({ webhook, warnings: await warningsFor(deps, webhook) });
    }
    if (result === 'not_found') return fail(webhookNotFound(id));
    if (result === 'duplicate_name') return fail(duplicateName(webhook.name));
    // 'stale': someone else updated it between our read and write; merge again on the new version.
  }
  return fail(new ConflictError('the webhook is being changed concurrently; try again'));
}

export async function deleteWebhook(
  deps: WebhookDeps,
  caller: Caller,
  id: string,
): Promise<Result<{ deletedId: string }>> {
  if (!isIdOf('Webhook', id) || !(await deps.webhooks.delete(caller.accountId, id))) {
    return fail(webhookNotFound(id));
  }
  return ok({ deletedId: id });
}

export async function getWebhook(deps: Pick<WebhookDeps, 'webhooks'>, caller: Caller, id: string) {
  if (!isIdOf('Webhook', id)) return null;
  return deps.webhooks.get(caller.accountId, id);
}

export interface WebhookListArgs extends PageArgs {
  status?: WebhookStatus | null;
  trigger?: Trigger | null;
  nameContains?: string | null;
}

export async function listWebhooks(
  deps: Pick<WebhookDeps, 'webhooks'>,
  caller: Caller,
  args: WebhookListArgs,
): Promise<Result<Page<Webhook>, ValidationError>> {
  const page = parsePageArgs(args, 'Webhook');
  if (page instanceof ValidationError) return fail(page);
  const nameContains = args.nameContains?.trim();
  return ok(
    await deps.webhooks.list(caller.accountId, {
      ...page,
      status: args.status ?? undefined,
      trigger: args.trigger ?? undefined,
      nameContains: nameContains ? nameContains.toLowerCase() : undefined,
    }),
  );
}

/**
 * The stored definition as an input, with the patch's fields laid over it (undefined = keep). Every
 * field of the definition schema is carried over, so a field added there survives partial updates;
 * secrets go back without their values, which sealSecrets then keeps.
 */
function mergePatch(existing: Webhook, patch: WebhookDefinitionInput): WebhookDefinitionInput {
  const merged: WebhookDefinitionInput = {
    headers: existing.headers.map((h) => ({ name: h.name })),
    oauth: existing.oauth && {
      clientId: existing.oauth.clientId,
      tokenEndpointUrl: existing.oauth.tokenEndpointUrl,
      scopes: existing.oauth.scopes,
    },
  };
  for (const field of DEFINITION_FIELDS) {
    if (field !== 'headers' && field !== 'oauth') keep(merged, field, existing[field]);
  }
  for (const field of Object.keys(patch) as (keyof WebhookDefinitionInput)[]) {
    const value = patch[field];
    if (value !== undefined) keep(merged, field, value);
  }
  return merged;
}

/** One field of a definition input, typed by its key (a stored value is a valid input value). */
function keep<K extends keyof WebhookDefinitionInput>(
  input: WebhookDefinitionInput,
  field: K,
  value: WebhookDefinitionInput[K],
): void {
  input[field] = value;
}

/**
 * Encrypts the secrets of a validated definition. A header or client secret sent without a value
 * keeps the stored one (matched by header name, case-insensitively); with nothing stored, it is an error.
 */
function sealSecrets(
  deps: WebhookDeps,
  caller: Caller,
  def: ValidDefinition,
  existing: Webhook | null,
): Result<{ headers: StoredHeader[]; oauth: StoredOAuth | null }, ValidationError> {
  const errors: { path: string[]; message: string }[] = [];
  const stored = new Map((existing?.headers ?? []).map((h) => [h.name.toLowerCase(), h.value]));
  const headers: StoredHeader[] = [];
  def.headers.forEach((h, i) => {
    if (h.value !== undefined) {
      headers.push({ name: h.name, value: deps.secrets.encrypt(h.value, caller.accountId) });
      return;
    }
    const kept = stored.get(h.name.toLowerCase());
    if (kept) headers.push({ name: h.name, value: kept });
    else errors.push({ path: ['headers', String(i), 'value'], message: 'is required for a new header' });
  });
  let oauth: StoredOAuth | null = null;
  if (def.oauth) {
    const { clientSecret, ...rest } = def.oauth;
    if (clientSecret !== undefined) {
      oauth = { ...rest, clientSecret: deps.secrets.encrypt(clientSecret, caller.accountId) };
    } else if (existing?.oauth) {
      oauth = { ...rest, clientSecret: existing.oauth.clientSecret };
    } else {
      errors.push({ path: ['oauth', 'clientSecret'], message: 'is required' });
    }
  }
  if (errors.length) return fail(new ValidationError(errors));
  return ok({ headers, oauth });
}

function webhookNotFound(id: string) {
  return new NotFoundError(`no webhook with id ${JSON.stringify(id)}`);
}

function duplicateName(name: string) {
  return new ConflictError(
    `a webhook named ${JSON.stringify(name)} already exists (names are case-insensitive)`,
  );
}
