import { createHash } from 'node:crypto';
import { type GraphiQLOptions, type Plugin, renderGraphiQL } from 'graphql-yoga';

/**
 * Security headers for the GraphiQL page that yoga serves at GET /graphql (Accept: text/html).
 *
 * yoga's page loads GraphiQL from unpkg.com (script, style sheet, fonts, and the editor's workers,
 * which it fetches and starts from blob: URLs) and its favicon from raw.githubusercontent.com, and
 * runs two inline scripts. The policy allows exactly that: the inline scripts by their SHA-256 (the
 * page is the same for every request, so the hashes are computed once), scripts from unpkg.com,
 * styles from unpkg.com and inline (the editor injects them), and requests to this origin (the
 * queries, graphql-ws) and to unpkg.com (the workers); no frames, no objects, no base or form target.
 */

const CDN = 'https://unpkg.com';

export function graphiqlHeaders(options: GraphiQLOptions): Record<string, string> {
  const html = renderGraphiQL(options);
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] as string)
        .digest('base64')}'`,
  );
  const csp = [
    "default-src 'none'",
    `script-src ${CDN} ${hashes.join(' ')}`,
    `style-src ${CDN} 'unsafe-inline'`,
    `font-src ${CDN} data:`,
    `img-src 'self' data: https://raw.githubusercontent.com`,
    `connect-src 'self' ${CDN}`,
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

/** Adds the headers to yoga's GraphiQL page (and to nothing else). */
export function useGraphiQLHeaders(graphqlPath: string, headers: Record<string, string>): Plugin {
  return {
    onResponse({ request, response }) {
      if (request.method !== 'GET') return;
      if (!response.headers.get('content-type')?.startsWith('text/html')) return;
      if (new URL(request.url).pathname !== graphqlPath) return;
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}
