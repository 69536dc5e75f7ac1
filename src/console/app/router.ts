import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/webhooks/wh_…`): the server answers only `/`, and a reload or a shared link opens the
 * same page. A route is the list of its path segments.
 */

export type Route =
  | { page: 'webhooks' }
  | { page: 'new-webhook' }
  | { page: 'webhook'; id: string }
  | { page: 'invocations'; webhookId: string | null };

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
  }
}

export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}
