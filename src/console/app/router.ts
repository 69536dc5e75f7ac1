import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/webhooks/wh_…`): the server answers only `/`, and a reload or a shared link opens the
 * same page. A route is the list of its path segments.
 */

export type Route =
  | { page: 'webhooks' }
  | { page: 'new-webhook' }
  | { page: 'webhook'; id: string }
  | { page: 'invocations'; webhookId: string | null }
  | { page: 'api-keys' };

export function parseRoute(hash: string): Route | null {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (parts.length === 0 || (first === 'webhooks' && parts.length === 1)) return { page: 'webhooks' };
  if (first === 'webhooks' && second === 'new' && parts.length === 2) return { page: 'new-webhook' };
  if (first === 'webhooks' && second && parts.length === 2) return { page: 'webhook', id: second };
  if (first === 'webhooks' && second && third === 'invocations' && parts.length === 3) {
    return { page: 'invocations', webhookId: second };
  }
  if (first === 'invocations' && parts.length === 1) return { page: 'invocations', webhookId: null };
  if (first === 'keys' && parts.length === 1) return { page: 'api-keys' };
  return null;
}

export function href(route: Route): string {
  switch (route.page) {
    case 'webhooks':
      return '#/webhooks';
    case 'new-webhook':
      return '#/webhooks/new';
    case 'webhook':
      return `#/webhooks/${encodeURIComponent(route.id)}`;
    case 'invocations':
      return route.webhookId
        ? `#/webhooks/${encodeURIComponent(route.webhookId)}/invocations`
        : '#/invocations';
    case 'api-keys':
      return '#/keys';
  }
}

/**
 * What guards the page shown against being left: unsaved work. `active()` says whether leaving now
 * would lose something; `confirm()` asks the user (true: leave). One page at a time sets it.
 */
export interface LeaveGuard {
  active(): boolean;
  confirm(): Promise<boolean>;
}

let guard: LeaveGuard | null = null;
/** A hash the app itself is going to (navigate, or a confirmed leave): not asked about. */
let allowed: string | null = null;

/** Sets the page's leave guard; returns the function that removes it (if it is still the one set). */
export function setLeaveGuard(next: LeaveGuard): () => void {
  guard = next;
  return () => {
    if (guard === next) guard = null;
  };
}

/**
 * Asks the page's guard, if it has one and it is active, whether the user may leave (for what is not
 * a hash change: signing out). True when nothing is lost or the user chose to leave.
 */
export async function mayLeave(): Promise<boolean> {
  return !guard?.active() || (await guard.confirm());
}

/** The app's own navigation (after a save, a delete): never asked about, the page has done its work. */
export function navigate(route: Route, replace = false): void {
  const target = href(route);
  allowed = target;
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/**
 * The current hash, following hash changes, except those the page's leave guard holds back: a link,
 * Back or Forward, or an edited address away from a page with unsaved work puts the page's own
 * address back at once (the page stays, its state with it) and asks; leaving then goes where the user
 * was going (the entry just before the one put back, so the history stays as it was).
 */
export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    let current = location.hash;
    let asking = false;
    const update = () => {
      const next = location.hash;
      if (next === current) return;
      if (next !== allowed && guard?.active()) {
        history.pushState(null, '', `${location.pathname}${location.search}${current}`);
        // Asked once: a second Back while the question is open is held back the same way.
        if (asking) return;
        asking = true;
        void guard.confirm().then((leave) => {
          asking = false;
          if (!leave) return;
          allowed = next;
          history.back();
        });
        return;
      }
      allowed = null;
      current = next;
      setHash(next);
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}
