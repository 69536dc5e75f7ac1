import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { useConfirm } from '../components/confirm-dialog.js';
import { describedBy, type Errors, errorsFromPaths, Field } from '../components/field.js';
import { TimeAgo } from '../components/status.js';
import { API_KEY_ROLES } from '../enums.js';
import { formatDateTime } from '../format.js';
import type { ApiKeyRole, ConsoleApiKeyFragment } from '../gql/graphql.js';
import { API_KEYS, CREATE_API_KEY, REVOKE_API_KEY, VIEWER } from '../queries.js';

const PAGE_SIZE = 50;

/** A key just made: its token, shown only now. */
interface Created {
  name: string;
  token: string;
}

/**
 * The account's API keys (admin only): the list (name, role, created, last used, revoked), making a
 * key (its token shown once, with a copy button) and revoking one after a confirmation. Everything
 * goes through the public API: apiKeys, createApiKey, revokeApiKey.
 */
export function ApiKeysPage() {
  const [keys, setKeys] = useState<ConsoleApiKeyFragment[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [ownKeyId, setOwnKeyId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('VIEWER');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const createdRef = useRef<HTMLDivElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const { ask, dialog } = useConfirm();

  const load = async (cursor: string | null) => {
    setLoading(true);
    try {
      const { apiKeys } = await gql(API_KEYS, { first: PAGE_SIZE, after: cursor });
      const page = apiKeys.edges.map((e) => e.node);
      setKeys((current) => (cursor ? [...current, ...page] : page));
      setHasMore(apiKeys.pageInfo.hasNextPage);
      setAfter(apiKeys.pageInfo.endCursor ?? null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
    gql(VIEWER, {}).then(
      (d) => setOwnKeyId(d.viewer.apiKeyId),
      () => {},
    );
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) return setErrors({ name: 'must not be empty' });
    setBusy(true);
    setErrors({});
    setNotice(null);
    setCreated(null);
    try {
      const { createApiKey: result } = await gql(CREATE_API_KEY, { name, role });
      if (result.__typename !== 'CreateApiKeySuccess') {
        const fieldErrors =
          result.__typename === 'ValidationError' ? errorsFromPaths(result.fieldErrors) : {};
        return setErrors(Object.keys(fieldErrors).length ? fieldErrors : { _form: result.message });
      }
      setKeys((current) => [result.apiKey, ...current]);
      setCreated({ name: result.apiKey.name, token: result.token });
      setName('');
      // The token is what matters now: focus goes to it, so it is read out and can be copied at once.
      requestAnimationFrame(() => createdRef.current?.focus());
    } catch (err) {
      setErrors({ _form: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: ConsoleApiKeyFragment) => {
    const own = key.id === ownKeyId;
    const confirmed = await ask({
      title: `Revoke “${key.name}”?`,
      message: (
        <>
          <p>
            Anything that uses this key is refused from now on, its open live connections too. This cannot be
            undone.
          </p>
          {own && <p>This is the key you are signed in with: you will be signed out.</p>}
        </>
      ),
      confirmLabel: 'Revoke key',
      cancelLabel: 'Keep it',
      danger: true,
    });
    if (!confirmed) return;
    setNotice(null);
    setError(null);
    try {
      const { revokeApiKey: result } = await gql(REVOKE_API_KEY, { id: key.id });
      if (result.__typename !== 'RevokeApiKeySuccess') return setError(result.message);
      const revoked = result.apiKey;
      setKeys((current) => current.map((k) => (k.id === revoked.id ? revoked : k)));
      setNotice(`Revoked “${revoked.name}”: it no longer works.`);
      // Its Revoke button is gone: the focus goes to the message saying what happened.
      requestAnimationFrame(() => noticeRef.current?.focus());
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>API keys</h1>
      </div>
      <p class="muted intro">
        Keys let programs and people use this account's API and console. A key's token is shown once, when it
        is made; store it somewhere safe.
      </p>

      <form class="card key-form" aria-labelledby="new-key-title" onSubmit={create} noValidate>
        <h2 id="new-key-title">New API key</h2>
        <div class="row">
          <Field
            field="name"
            label="Name"
            error={errors.name}
            hint="What the key is for, e.g. “CI publisher”."
            class="grow"
          >
            <input
              {...describedBy('name', errors.name, true)}
              type="text"
              value={name}
              maxLength={100}
              autocomplete="off"
              onInput={(e) => {
                setName(e.currentTarget.value);
                setErrors({});
              }}
            />
          </Field>
          <Field field="role" label="Role" error={errors.role}>
            <select
              {...describedBy('role', errors.role)}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value as ApiKeyRole)}
            >
              {API_KEY_ROLES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {errors._form && (
          <p class="alert error" role="alert">
            {errors._form}
          </p>
        )}
        <p>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </p>
      </form>

      {created && <NewKey created={created} focusRef={createdRef} />}
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p class="alert success" role="status" tabIndex={-1} ref={noticeRef}>
          {notice}
        </p>
      )}

      <div class="table-wrap" aria-busy={loading ? 'true' : 'false'}>
        <table class="data keys-table">
          <caption class="sr-only">API keys of this account, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-key-id={k.id} data-revoked={k.revokedAt ? 'true' : 'false'}>
                <td data-label="Name">
                  <span class="name">{k.name}</span>
                  {k.id === ownKeyId && <span class="tag">this key</span>}
                </td>
                <td data-label="Role">{k.role}</td>
                <td data-label="Key">
                  <code>{k.prefix}…</code>
                </td>
                <td data-label="Created">
                  <time dateTime={k.createdAt}>{formatDateTime(k.createdAt)}</time>
                </td>
                <td data-label="Last used">
                  {k.lastUsedAt ? <TimeAgo iso={k.lastUsedAt} /> : <span class="muted">Never</span>}
                </td>
                <td data-label="Status">
                  {k.revokedAt ? (
                    <span>
                      Revoked <TimeAgo iso={k.revokedAt} />
                    </span>
                  ) : (
                    'Works'
                  )}
                </td>
                <td data-label="Actions">
                  {!k.revokedAt && (
                    <button
                      type="button"
                      class="secondary small"
                      onClick={() => revoke(k)}
                      aria-label={`Revoke ${k.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && keys.length === 0 && <p class="empty">No API keys.</p>}
      </div>
      {hasMore && (
        <p class="pager">
          <button type="button" class="secondary" onClick={() => load(after)}>
            Load more
          </button>
        </p>
      )}
      {dialog}
    </>
  );
}

/** The token of a key just made, shown once: selectable, with a copy button and a fallback. */
function NewKey({ created, focusRef }: { created: Created; focusRef: { current: HTMLDivElement | null } }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const field = useRef<HTMLInputElement>(null);
  const copyToken = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(created.token);
      setCopy('copied');
    } catch {
      // No clipboard here (an insecure origin, a denied permission): the key is selected to copy by hand.
      setCopy('failed');
      field.current?.focus();
      field.current?.select();
    }
  };
  return (
    <div class="alert success new-key" role="status" tabIndex={-1} ref={focusRef}>
      <p>
        <strong>Created “{created.name}”.</strong> Copy the key now: it is shown only once.
      </p>
      <div class="token-row">
        <label for="new-key-token" class="sr-only">
          The new API key
        </label>
        <input
          id="new-key-token"
          ref={field}
          type="text"
          readOnly
          value={created.token}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="secondary small" onClick={copyToken}>
          {copy === 'copied' ? 'Copied' : 'Copy key'}
        </button>
      </div>
      {copy === 'copied' && <p>The key is on the clipboard.</p>}
      {copy === 'failed' && (
        <p>Copying is not available here: the key is selected, copy it with Ctrl+C (⌘C on a Mac).</p>
      )}
    </div>
  );
}
