import { useState } from 'preact/hooks';
import { ApiError, gql, type Session } from '../api.js';
import { VIEWER } from '../queries.js';

/** Paste an API key; the server says whose it is and what it may do (viewer { role }). */
export function SignIn(props: { notice: string | null; onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const token = key.trim();
    if (!token) {
      setError('Paste an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { viewer } = await gql(VIEWER, {}, token);
      if (viewer.role === 'PUBLISHER') {
        setError('This is a PUBLISHER key: it may only publish events. Sign in with an ADMIN or VIEWER key.');
        return;
      }
      props.onSignedIn({ key: token, role: viewer.role });
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'UNAUTHENTICATED'
          ? 'This API key is not valid: it is unknown or was revoked.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sign-in">
      <h1 tabIndex={-1}>Sign in</h1>
      <p>
        Paste an API key of your account. On its first start the server prints an admin key (
        <code>whk_…</code>); admins create more with <code>createApiKey</code>. The key stays in this browser
        tab only.
      </p>
      {props.notice && (
        <p class="alert warning" role="status">
          {props.notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <div class={`field ${error ? 'has-error' : ''}`}>
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={key}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'api-key-error' : undefined}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
          {error && (
            <p class="field-error" id="api-key-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
