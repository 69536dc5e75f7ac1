/**
 * Finds, builds and runs FerretDB 1.24 (SQLite handler): the MongoDB wire-protocol server used by the tests.
 *
 * Library use (e.g. from test/support/global-setup.ts):
 *   const bin = await findOrBuildFerretdb(log);
 *   const { uri, stop } = await startFerretdb({ log });
 *
 * CLI use:
 *   npx tsx scripts/ferretdb.ts build   # prints the binary path on stdout (logs go to stderr)
 *   npx tsx scripts/ferretdb.ts start   # prints MONGODB_URI=mongodb://… and runs until SIGTERM/SIGINT
 *
 * Binary lookup order: $FERRETDB_BIN; `ferretdb` on PATH if it is v1.24.x;
 * ${XDG_CACHE_HOME:-$HOME/.cache}/access-webhooks/bin/ferretdb; otherwise it is built there with Go.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';

export type Log = (msg: string) => void;

export interface FerretdbInstance {
  /** `mongodb://127.0.0.1:PORT/` */
  uri: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its data directory. Idempotent. */
  stop(): Promise<void>;
  /** Process id of the wrapper process (its process group also contains ferretdb itself). */
  pid: number;
  /** Resolves when the server process exits, for whatever reason. Never rejects. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.2';
const ACCEPTED_VERSION = /\bv1\.24\.\d+\b/;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** A build lock older than this is considered abandoned. */
const STALE_LOCK_MS = 30 * 60_000;
const LOCK_WAIT_MS = 30 * 60_000;

const defaultLog: Log = (msg) => {
  process.stderr.write(`[ferretdb] ${msg}\n`);
};

const HOW_TO_FIX = [
  'The tests need a MongoDB wire-protocol server. To provide one, either:',
  '  - set MONGODB_URI=mongodb://HOST:PORT/ to any running MongoDB >= 6 or FerretDB 1.24',
  '    (e.g. `docker run -d -p 27017:27017 mongo:7` then MONGODB_URI=mongodb://127.0.0.1:27017/), or',
  '  - install Go >= 1.24 (https://go.dev/dl/, on PATH or at /usr/local/go/bin/go) so FerretDB 1.24.2',
  '    can be built automatically, or',
  '  - set FERRETDB_BIN=/path/to/ferretdb to an existing FerretDB v1.24.x binary.',
].join('\n');

export class FerretdbUnavailableError extends Error {
  override name = 'FerretdbUnavailableError';
}

function tail(text: string, lines = 30): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function unavailable(reason: string, command?: string, stderr?: string): FerretdbUnavailableError {
  let msg = `Could not provide FerretDB ${FERRETDB_VERSION}: ${reason}`;
  if (command) msg += `\n  command: ${command}`;
  if (stderr?.trim()) msg += `\n  stderr (last lines):\n${indent(tail(stderr))}`;
  return new FerretdbUnavailableError(`${msg}\n\n${HOW_TO_FIX}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Runs `bin --version`; returns its output, or undefined if it failed (e.g. the version.txt panic). */
function probeVersion(bin: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(bin, ['--version'], { timeout: 15_000 }, (err, stdout) => {
      resolve(err ? undefined : String(stdout));
    });
  });
}

async function isUsableFerretdb(bin: string): Promise<boolean> {
  const out = await probeVersion(bin);
  return out !== undefined && ACCEPTED_VERSION.test(out);
}

export function cachedBinaryPath(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'access-webhooks', 'bin', 'ferretdb');
}

async function findGo(): Promise<string | undefined> {
  const onPath = await findOnPath('go');
  if (onPath) return onPath;
  const fallback = '/usr/local/go/bin/go';
  return (await isExecutable(fallback)) ? fallback : undefined;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command, collecting output; `onStderrLine` sees each stderr line as it arrives. */
function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; onStderrLine?: (line: string) => void },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Keep memory bounded for chatty builds; only the tail is ever reported.
      if (stderr.length > 256_000) stderr = stderr.slice(-128_000);
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onStderrLine?.(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (partial) opts.onStderrLine?.(partial);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function commandLine(cmd: string, args: string[], cwd?: string): string {
  const quoted = [cmd, ...args].map((a) =>
    /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`,
  );
  return (cwd ? `(cd ${cwd} && ${quoted.join(' ')})` : quoted.join(' ')).trim();
}

function exitDescription(r: { code: number | null; signal: NodeJS.Signals | null }): string {
  return r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
}

async function makeWritable(dir: string): Promise<void> {
  const st = await fs.lstat(dir);
  if (st.isSymbolicLink()) return;
  await fs.chmod(dir, st.mode | 0o200);
  if (!st.isDirectory()) return;
  for (const entry of await fs.readdir(dir)) await makeWritable(path.join(dir, entry));
}

async function removeTree(dir: string): Promise<void> {
  try {
    await makeWritable(dir);
  } catch {
    // best effort: rm below reports nothing either way
  }
  await fs.rm(dir, { recursive: true, force: true });
}

/** Builds FerretDB into `target` (atomically: build to a temp name, then rename). */
async function buildFerretdb(target: string, log: Log): Promise<void> {
  const go = await findGo();
  if (!go) {
    throw unavailable(
      'no ferretdb binary was found and Go is not installed (looked for `go` on PATH and at /usr/local/go/bin/go), ' +
        'so it cannot be built.',
    );
  }
  log(`building FerretDB ${FERRETDB_VERSION.slice(1)} with Go (first time only, takes a few minutes)…`);
  log(`using ${go}; the binary will be cached at ${target}`);
  const started = Date.now();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferretdb-build-'));
  let modules = 0;
  let packages = 0;
  let phase = 'downloading the FerretDB module';
  const heartbeat = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    log(`  … still ${phase} (${secs}s; ${modules} modules downloaded, ${packages} packages compiled)`);
  }, 15_000);
  heartbeat.unref();
  const onLine = (line: string) => {
    if (line.startsWith('go: downloading ')) modules++;
    else if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line.trim())) packages++; // `go build -v` package names
  };
  try {
    // 1. Fetch the module source into the Go module cache and find where it is.
    const dlArgs = ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`];
    const dl = await run(go, dlArgs, { cwd: work, onStderrLine: onLine });
    let info: { Dir?: string; Error?: string } = {};
    try {
      info = JSON.parse(dl.stdout) as typeof info;
    } catch {
      // reported below
    }
    if (dl.code !== 0 || !info.Dir) {
      throw unavailable(
        `downloading the FerretDB source failed (${exitDescription(dl)})`,
        commandLine(go, dlArgs),
        [info.Error ?? '', dl.stderr].filter(Boolean).join('\n'),
      );
    }

    // 2. Copy it somewhere writable and add the version file the module zip lacks
    //    (without it the binary panics: "Invalid build/version/version.txt file content").
    phase = 'copying the source';
    const src = path.join(work, 'src');
    await fs.cp(info.Dir, src, { recursive: true });
    await makeWritable(src);
    await fs.writeFile(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

    // 3. Build.
    phase = 'compiling';
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmpBin = `${target}.tmp-${process.pid}`;
    const attempt = async (extra: string[]) => {
      const args = ['build', '-v', '-buildvcs=false', ...extra, '-o', tmpBin, './cmd/ferretdb'];
      return { args, result: await run(go, args, { cwd: src, onStderrLine: onLine }) };
    };
    let { args, result } = await attempt([]);
    if (result.code !== 0 && /linkname/i.test(result.stderr)) {
      log('linker rejected a //go:linkname; retrying with -ldflags=-checklinkname=0');
      ({ args, result } = await attempt(['-ldflags=-checklinkname=0']));
    }
    if (result.code !== 0) {
      await fs.rm(tmpBin, { force: true });
      throw unavailable(
        `go build failed (${exitDescription(result)})`,
        commandLine(go, args, src),
        result.stderr,
      );
    }

    // 4. Check it actually starts before publishing it.
    const version = await probeVersion(tmpBin);
    if (version === undefined || !ACCEPTED_VERSION.test(version)) {
      await fs.rm(tmpBin, { force: true });
      throw unavailable(
        'the freshly built binary does not report FerretDB v1.24',
        commandLine(tmpBin, ['--version']),
        version ?? '(command failed)',
      );
    }
    await fs.rename(tmpBin, target);
    log(`built ${target} in ${Math.round((Date.now() - started) / 1000)}s`);
  } catch (err) {
    if (err instanceof FerretdbUnavailableError) throw err;
    throw unavailable(`building failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearInterval(heartbeat);
    await removeTree(work).catch(() => {});
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** mkdir-based lock; returns a release function. Breaks locks whose owner died or that are very old. */
async function acquireLock(lockDir: string, log: Log): Promise<() => Promise<void>> {
  const ownerFile = path.join(lockDir, 'owner.json');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(
        ownerFile,
        JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }),
      );
      return async () => {
        await fs.rm(lockDir, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Someone else holds it: is it stale?
    let stale = false;
    let owner: { pid?: number; host?: string } = {};
    try {
      owner = JSON.parse(await fs.readFile(ownerFile, 'utf8')) as typeof owner;
      if (owner.host === os.hostname() && owner.pid && !processAlive(owner.pid)) stale = true;
    } catch {
      // owner file not written yet (or unreadable): fall back to the age check
    }
    try {
      const st = await fs.stat(lockDir);
      if (Date.now() - st.mtimeMs > STALE_LOCK_MS) stale = true;
    } catch {
      continue; // lock vanished meanwhile: retry at once
    }
    if (stale) {
      log(`removing stale build lock ${lockDir}`);
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw unavailable(`timed out waiting for the build lock ${lockDir} (held by pid ${owner.pid ?? '?'})`);
    }
    if (!announced) {
      log(`another process (pid ${owner.pid ?? '?'}) is building FerretDB; waiting for it…`);
      announced = true;
    }
    await sleep(1_000);
  }
}

/** Returns the path of a working FerretDB 1.24 binary, building it (once, under a lock) if needed. */
export async function findOrBuildFerretdb(log: Log = defaultLog): Promise<string> {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) {
      throw unavailable(`FERRETDB_BIN=${fromEnv} is not an executable file.`);
    }
    return fromEnv;
  }

  const onPath = await findOnPath('ferretdb');
  if (onPath && (await isUsableFerretdb(onPath))) return onPath;

  const cached = cachedBinaryPath();
  if (await isUsableFerretdb(cached)) return cached;

  await fs.mkdir(path.dirname(cached), { recursive: true });
  const release = await acquireLock(`${cached}.lock`, log);
  try {
    // Another process may have finished building while we waited for the lock.
    if (await isUsableFerretdb(cached)) return cached;
    if (await isExecutable(cached)) log(`existing ${cached} does not work (or is not v1.24); rebuilding it`);
    await buildFerretdb(cached, log);
    return cached;
  } finally {
    await release();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === 'object') resolve(addr.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1_000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function pingOk(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 2_000,
    connectTimeoutMS: 2_000,
    socketTimeoutMS: 5_000,
  });
  try {
    await client.connect();
    const res = await client.db('admin').command({ ping: 1 });
    return res.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Runs ferretdb under a tiny sh supervisor in its own process group. The supervisor's stdin is a pipe from
 * us: if this Node process dies in any way (even SIGKILL), the pipe reaches EOF and ferretdb gets SIGTERM.
 * SIGTERM/SIGINT to the supervisor are forwarded, and it exits only once ferretdb has exited, after removing
 * $FERRETDB_TMP_DIR (so that is cleaned up even when nobody is left to call stop()).
 */
const SUPERVISOR = `
exec 3<&0 </dev/null
"$@" 3<&- &
child=$!
( while read -r _; do :; done <&3; kill -TERM "$child" ) >/dev/null 2>&1 &
watcher=$!
exec 3<&-
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
while :; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break
done
kill "$watcher" 2>/dev/null
[ -n "$FERRETDB_TMP_DIR" ] && rm -rf "$FERRETDB_TMP_DIR"
exit "$rc"
`;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

interface Attempt {
  instance?: FerretdbInstance;
  addressInUse?: boolean;
}

async function startOnce(bin: string, log: Log): Promise<Attempt> {
  const port = await freePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferretdb-'));
  const dataDir = path.join(dir, 'data');
  await fs.mkdir(dataDir);
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dir}`,
    '--telemetry=disable',
    '--debug-addr=-', // disables the debug HTTP server (its default 127.0.0.1:8088 collides between instances)
    '--log-level=WARN',
  ];
  const uri = `mongodb://127.0.0.1:${port}/`;

  const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'ferretdb-supervisor', bin, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, FERRETDB_TMP_DIR: dir },
  });
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
    if (output.length > 64_000) output = output.slice(-32_000);
  };
  child.stdout?.setEncoding('utf8').on('data', collect);
  child.stderr?.setEncoding('utf8').on('data', collect);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      spawnError = err;
      exitInfo = { code: null, signal: null };
      resolve(exitInfo);
    });
  });

  // If this process exits without stop() (the stdin pipe also covers crashes): SIGTERM, after which the
  // supervisor waits for ferretdb and removes the temp dir on its own.
  const onParentExit = () => killGroup(child, 'SIGTERM');
  process.on('exit', onParentExit);

  // Don't let the server keep this process alive on its own: owners call stop() (the CLI keeps itself alive).
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  child.stdin?.on('error', () => {}); // EPIPE if the supervisor is gone

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exitInfo) {
        killGroup(child, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
        });
        const outcome = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          log(`ferretdb on port ${port} did not stop within ${STOP_GRACE_MS / 1000}s; sending SIGKILL`);
          killGroup(child, 'SIGKILL');
          await exited;
        }
      }
      process.off('exit', onParentExit);
      child.stdin?.destroy();
      await removeTree(dir).catch(() => {});
    })();
    return stopping;
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exitInfo) {
      await stop();
      if (spawnError) throw unavailable(`could not run ${bin}: ${spawnError.message}`);
      if (/address already in use/i.test(output)) return { addressInUse: true };
      throw unavailable(
        `ferretdb exited during startup (${exitDescription(exitInfo)})`,
        commandLine(bin, args),
        output,
      );
    }
    if ((await tcpAccepts(port)) && (await pingOk(uri))) break;
    if (Date.now() > deadline) {
      await stop();
      throw unavailable(
        `ferretdb did not accept connections and answer ping on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000}s`,
        commandLine(bin, args),
        output,
      );
    }
    await sleep(200);
  }

  void exited.then((info) => {
    if (!stopping) {
      log(
        `ferretdb on port ${port} exited unexpectedly (${exitDescription(info)}):\n${indent(tail(output))}`,
      );
    }
  });
  return { instance: { uri, stop, pid: child.pid ?? -1, exited } };
}

/** Starts a throwaway FerretDB (SQLite, in a temp dir) on a free 127.0.0.1 port and waits until it answers ping. */
export async function startFerretdb(opts: { log?: Log } = {}): Promise<FerretdbInstance> {
  const log = opts.log ?? defaultLog;
  const bin = await findOrBuildFerretdb(log);
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    const { instance } = await startOnce(bin, log);
    if (instance) {
      log(`FerretDB ${bin} is up at ${instance.uri} (${Date.now() - started} ms)`);
      return instance;
    }
    log('port was taken before ferretdb could bind it; retrying with another port');
  }
  throw unavailable('ferretdb could not bind a free port after 3 attempts');
}

async function cli(argv: string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === 'build') {
    const bin = await findOrBuildFerretdb();
    process.stdout.write(`${bin}\n`);
    return 0;
  }
  if (cmd === 'start') {
    const instance = await startFerretdb();
    process.stdout.write(`MONGODB_URI=${instance.uri}\n`);
    const keepAlive = setInterval(() => {}, 1 << 30);
    const reason = await new Promise<string>((resolve) => {
      for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => resolve(sig));
      void instance.exited.then(() => resolve('exited'));
    });
    clearInterval(keepAlive);
    if (reason === 'exited') return 1;
    defaultLog(`received ${reason}; stopping ${instance.uri}`);
    await instance.stop();
    return 0;
  }
  process.stderr.write(
    'usage: tsx scripts/ferretdb.ts build   # print the path of a FerretDB 1.24 binary (building it if needed)\n' +
      '       tsx scripts/ferretdb.ts start   # start one; print MONGODB_URI=…; run until SIGTERM/SIGINT\n',
  );
  return 2;
}

const entry = process.argv[1];
if (entry && path.resolve(entry) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
