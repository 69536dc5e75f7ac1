import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { errorFields, type Logger } from '../ops/log.js';

/**
 * The web console: a browser client of the public GraphQL API, served at `/` by the API server itself.
 *
 * Its code (`./app`, Preact + TSX) is bundled with esbuild's JS API: by `npm run build` (which
 * `npm start` runs first) into `console-assets/` beside the compiled server, which then only reads the
 * two files; or, running from sources (`npm run dev`, tests), in memory the first time it is needed
 * (main.ts asks at start). Either way it is kept for the life of the process; nothing built is committed.
 */

export const CONSOLE_ASSET_PREFIX = '/console/';

export interface ConsoleBundle {
  js: Buffer;
  css: Buffer;
  /** Content hash of js + css: the assets' cache-busting query. */
  version: string;
  buildMs: number;
}

const ENTRY = fileURLToPath(new URL('./app/main.tsx', import.meta.url));
/** Written by the build (scripts/build.mjs) beside dist/main.js; there is none beside the sources. */
const PREBUILT = new URL('./console-assets/', import.meta.url);

let bundle: Promise<ConsoleBundle> | undefined;

/** The console's bundle: built once per process (a failed build is retried on the next call). */
export function consoleBundle(): Promise<ConsoleBundle> {
  bundle ??= (existsSync(PREBUILT) ? readPrebuilt() : buildBundle()).catch((err: unknown) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}

async function readPrebuilt(): Promise<ConsoleBundle> {
  const started = performance.now();
  const js = readFileSync(new URL('app.js', PREBUILT));
  const css = readFileSync(new URL('app.css', PREBUILT));
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  return { js, css, version, buildMs: Math.round(performance.now() - started) };
}

/** Bundles `./app` (or another entry: the build passes the sources' one) in memory. */
export async function buildBundle(entry = ENTRY): Promise<ConsoleBundle> {
  const started = performance.now();
  // Loaded on first use: processes that never serve the console never load esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { app: entry },
    bundle: true,
    write: false,
    outdir: '/console',
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    // No `process` in a browser: a library's guarded read of it (@lezer/lr's debug switch,
    // `typeof process != "undefined" && process.env…`) folds away.
    define: { process: 'undefined' },
    logLevel: 'silent',
    // The console's own tsconfig (DOM types) is for `tsc`; esbuild needs only the options above.
    tsconfigRaw: {},
  });
  const file = (ext: string) => {
    const out = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!out) throw new Error(`console build produced no ${ext} file`);
    return Buffer.from(out.contents);
  };
  const js = file('.js');
  const css = file('.css');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  return { js, css, version, buildMs: Math.round(performance.now() - started) };
}

/** True for the paths the console answers: `/` and its assets. */
export function isConsolePath(path: string | undefined): boolean {
  if (path === undefined) return false;
  return path === '/' || path.startsWith(CONSOLE_ASSET_PREFIX);
}

// Everything the page loads comes from this origin; the API is same-origin fetch and WebSocket. The one
// exception to 'self': the <style> elements the code editor (CodeMirror) injects for its base theme,
// allowed by a nonce made for each page response (the page is never cached) and handed to the app on
// `<meta name="csp-nonce">`. No 'unsafe-inline': style attributes in markup stay refused.
function csp(styleNonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}'` : "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f4fd1"/><path d="M9 17l5 5 9-12" stroke="#fff" stroke-width="3.5" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

function page(version: string, styleNonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access webhooks</title>
<meta name="csp-nonce" nonce="${styleNonce}">
<link rel="icon" href="${CONSOLE_ASSET_PREFIX}icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${CONSOLE_ASSET_PREFIX}app.css?v=${version}">
<script type="module" src="${CONSOLE_ASSET_PREFIX}app.js?v=${version}"></script>
</head>
<body>
<div id="app"><noscript>The web console needs JavaScript. The GraphQL API is at <a href="/graphql">/graphql</a>.</noscript></div>
</body>
</html>
`;
}

/** Answers a GET or HEAD for a console path (see isConsolePath). */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const send = (status: number, type: string, body: string | Buffer, cache: string, styleNonce?: string) => {
    res.writeHead(status, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'cache-control': cache,
      'content-security-policy': csp(styleNonce),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (path === `${CONSOLE_ASSET_PREFIX}icon.svg`) {
    return send(200, 'image/svg+xml', ICON, 'public, max-age=86400');
  }
  let assets: ConsoleBundle;
  try {
    assets = await consoleBundle();
  } catch (err) {
    log.error('console build failed', errorFields(err));
    return send(
      500,
      'text/plain; charset=utf-8',
      'the web console failed to build; see the server log',
      'no-store',
    );
  }
  // Asset URLs carry the content hash, so browsers may keep them; the page itself is always revalidated.
  const immutable = 'public, max-age=31536000, immutable';
  if (path === '/') {
    const nonce = randomBytes(16).toString('base64');
    return send(200, 'text/html; charset=utf-8', page(assets.version, nonce), 'no-cache', nonce);
  }
  if (path === `${CONSOLE_ASSET_PREFIX}app.js`) {
    return send(200, 'text/javascript; charset=utf-8', assets.js, immutable);
  }
  if (path === `${CONSOLE_ASSET_PREFIX}app.css`)
    return send(200, 'text/css; charset=utf-8', assets.css, immutable);
  return send(404, 'text/plain; charset=utf-8', 'not found', 'no-store');
}
