// Compiles the server for `npm start` (which runs this first, as `prestart`): plain JavaScript, so that
// starting needs neither tsx nor TypeScript, and takes well under a second on a fresh clone.
//
//   dist/main.js            src/main.ts bundled with everything under src/ (node_modules stay imports:
//                           better-sqlite3's native module, pino, … load from node_modules as usual)
//   dist/worker.js          the sandbox's worker-thread entry (src/sandbox/pool.ts starts ./worker.js
//                           beside the module it is bundled into)
//   dist/chunk-*.js         code both entries share, and what main.js loads only on demand
//   dist/console-assets/    the web console's app.js and app.css (src/console/serve.ts reads them
//                           instead of bundling the console in memory at start)
//
// Source maps sit beside each file (`node --enable-source-maps` maps stack traces to src/). The build
// goes to a fresh directory that then replaces dist/, so a half-written dist/ is never started.
// When nothing it reads changed since the last build (the sizes and modification times of src/,
// package-lock.json and this file), it does nothing. Plain JavaScript on purpose: a TypeScript script
// would need tsx, about 0.25 s on every start.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const next = join(root, `dist.${process.pid}.tmp`);
const started = performance.now();

/** What the build reads, as a hash of paths, sizes and modification times. */
function fingerprint() {
  const hash = createHash('sha256');
  const files = [join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
  }
  for (const file of files.sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(root, file)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const sources = fingerprint();
const force = process.argv.includes('--force');
let built = null;
try {
  built = readFileSync(join(dist, '.fingerprint'), 'utf8');
} catch {
  // never built
}
if (!force && built === sources) {
  process.stderr.write('dist/ is up to date\n');
  process.exit(0);
}

const { build } = await import('esbuild');
rmSync(next, { recursive: true, force: true });
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: { main: 'src/main.ts', worker: 'src/sandbox/worker.ts' },
  outdir: next,
  // Code split at dynamic imports (the OpenTelemetry side is loaded only when traces are exported)
  // and shared by both entries goes to chunk files beside them.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
});

// The console: bundled by src/console/serve.ts's own function (one set of options for both ways of
// running), loaded from a throwaway bundle of that module.
const helper = join(next, 'console-build.mjs');
await build({ ...common, entryPoints: ['src/console/serve.ts'], outfile: helper });
const { buildBundle } = await import(pathToFileURL(helper).href);
const assets = await buildBundle(join(root, 'src/console/app/main.tsx'));
rmSync(helper);
mkdirSync(join(next, 'console-assets'));
writeFileSync(join(next, 'console-assets', 'app.js'), assets.js);
writeFileSync(join(next, 'console-assets', 'app.css'), assets.css);
writeFileSync(join(next, '.fingerprint'), sources);

rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
process.stderr.write(`built dist/ in ${Math.round(performance.now() - started)} ms\n`);
