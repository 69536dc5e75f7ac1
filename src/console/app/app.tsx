import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clearSession, loadSession, type Session, saveSession, setSignedOutHandler } from './api.js';
import { OperationalBanner } from './components/operational-banner.js';
import { takeFlash } from './flash.js';
import { ApiKeysPage } from './pages/api-keys.js';
import { InvocationsPage } from './pages/invocations.js';
import { SignIn } from './pages/sign-in.js';
import { WebhookFormPage } from './pages/webhook-form.js';
import { WebhooksPage } from './pages/webhooks.js';
import { href, mayLeave, parseRoute, type Route, useHash } from './router.js';

function pageTitle(route: Route | null): string {
  if (!route) return 'Not found';
  switch (route.page) {
    case 'webhooks':
      return 'Webhooks';
    case 'new-webhook':
      return 'Add Webhook';
    case 'webhook':
      return 'Webhook';
    case 'invocations':
      return route.webhookId ? 'Invocations of a webhook' : 'All invocations';
    case 'api-keys':
      return 'API keys';
  }
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const hash = useHash();
  const route = parseRoute(hash);

  useEffect(() => {
    setSignedOutHandler((reason) => {
      clearSession();
      setSession(null);
      setNotice(`You were signed out: ${reason}`);
    });
  }, []);

  // A new page: its title, and focus on its heading so screen readers start there. A flash the page
  // did not take (it was left for another) is dropped now, not shown later somewhere else.
  useEffect(() => {
    takeFlash(null);
    document.title = `${session ? pageTitle(route) : 'Sign in'} · Access webhooks`;
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [hash, session]);

  if (!session) {
    return (
      <>
        <Header session={null} onSignOut={() => {}} route={route} />
        <main id="main" tabIndex={-1}>
          <SignIn
            notice={notice}
            onSignedIn={(s) => {
              saveSession(s);
              setNotice(null);
              setSession(s);
            }}
          />
        </main>
      </>
    );
  }

  const canEdit = session.role === 'ADMIN';
  let page: ComponentChildren;
  if (!route) {
    page = (
      <>
        <h1 tabIndex={-1}>Page not found</h1>
        <p>
          <a href={href({ page: 'webhooks' })}>Go to the webhooks</a>
        </p>
      </>
    );
  } else if (route.page === 'webhooks') {
    page = <WebhooksPage canEdit={canEdit} />;
  } else if (route.page === 'new-webhook') {
    page = canEdit ? (
      <WebhookFormPage key="new" id={null} canEdit />
    ) : (
      <>
        <h1 tabIndex={-1}>Add Webhook</h1>
        <p class="alert info">This API key has the VIEWER role: it cannot create webhooks.</p>
      </>
    );
  } else if (route.page === 'webhook') {
    page = <WebhookFormPage key={route.id} id={route.id} canEdit={canEdit} />;
  } else if (route.page === 'api-keys') {
    page = canEdit ? (
      <ApiKeysPage />
    ) : (
      <>
        <h1 tabIndex={-1}>API keys</h1>
        <p class="alert info">Only an ADMIN key may see and manage API keys.</p>
      </>
    );
  } else {
    page = <InvocationsPage key={route.webhookId ?? 'all'} webhookId={route.webhookId} canEdit={canEdit} />;
  }

  return (
    <>
      <Header
        session={session}
        route={route}
        onSignOut={async () => {
          // Signing out leaves the page too: unsaved work is asked about first.
          if (!(await mayLeave())) return;
          clearSession();
          setSession(null);
          setNotice('You signed out.');
        }}
      />
      <main id="main" tabIndex={-1}>
        <OperationalBanner />
        {page}
      </main>
    </>
  );
}

function Header(props: { session: Session | null; route: Route | null; onSignOut: () => void }) {
  const current = props.route?.page;
  const onInvocations =
    current === 'invocations' && props.route?.page === 'invocations' && !props.route.webhookId;
  return (
    <header class="top">
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <a class="brand" href={href({ page: 'webhooks' })}>
        Access webhooks
      </a>
      {props.session && (
        <>
          <nav aria-label="Main">
            <a href={href({ page: 'webhooks' })} aria-current={current === 'webhooks' ? 'page' : undefined}>
              Webhooks
            </a>
            <a
              href={href({ page: 'invocations', webhookId: null })}
              aria-current={onInvocations ? 'page' : undefined}
            >
              Invocations
            </a>
            {props.session.role === 'ADMIN' && (
              <a href={href({ page: 'api-keys' })} aria-current={current === 'api-keys' ? 'page' : undefined}>
                API keys
              </a>
            )}
          </nav>
          <div class="account">
            <span class="role" title="The role of the API key in use">
              {props.session.role}
            </span>
            <button type="button" class="secondary small" onClick={props.onSignOut}>
              Sign out
            </button>
          </div>
        </>
      )}
    </header>
  );
}
