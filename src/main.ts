import { type Config, ConfigError, loadConfig } from './config/index.js';
import { loadSecretsKey } from './config/secrets-key.js';
import { consoleBundle } from './console/serve.js';
import { bootstrapFirstKey } from './domain/api-key-use-cases.js';
import { SecretBox } from './domain/secrets.js';
import { createLogger, errorFields } from './ops/log.js';
import { startTracing } from './ops/start-tracing.js';
import { createRuntime } from './runtime.js';
import { createApp } from './server/app.js';
import { openStores } from './store/open.js';
import { sqliteFileIn } from './store/sqlite/index.js';

/** Composition root: config → stores → services → HTTP server. */

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  // Before anything that makes spans; loads the OpenTelemetry SDK only when an endpoint is set.
  const tracing = await startTracing(config, log);
  const stores = await openStores(config);
  const { key, source } = loadSecretsKey(config);
  if (config.MONGODB_URI && source !== 'SECRETS_KEY') {
    log.warn(
      'SECRETS_KEY is not set: secrets are encrypted with a key generated in DATA_DIR; every process sharing this MongoDB needs the same key',
      { keyFile: source },
    );
  }
  const first = await bootstrapFirstKey({ apiKeys: stores.apiKeys }, config.BOOTSTRAP_ADMIN_KEY);
  if (first && !first.fromConfig) {
    // Printed once, never logged: the store keeps only its hash.
    process.stdout.write(
      `\n  First admin API key (shown once, keep it safe):\n\n    ${first.token}\n\n` +
        `  Sign in to the web console (http://localhost:${config.PORT}/) with it, or in GraphiQL open\n` +
        `  Headers and paste: {"Authorization": "Bearer ${first.token}"}\n\n`,
    );
  } else if (first) {
    log.info('BOOTSTRAP_ADMIN_KEY is the first admin key', { accountId: first.accountId });
  }
  const runtime = createRuntime(config, stores, new SecretBox(key), log, { tracing });
  const app = createApp(runtime.services, log);

  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.PORT, config.HOST, () => {
      app.server.off('error', reject);
      resolve();
    });
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const where = config.MONGODB_URI
    ? `MongoDB database "${config.MONGODB_DB}"`
    : sqliteFileIn(config.DATA_DIR);
  runtime.start();
  if (config.ROLE !== 'worker') {
    // The web console is bundled in memory once, now, so the first visitor does not wait for it.
    consoleBundle().then(
      (bundle) =>
        log.info('web console built', {
          buildMs: bundle.buildMs,
          bytes: bundle.js.length + bundle.css.length,
        }),
      (err: unknown) => log.error('web console build failed', errorFields(err)),
    );
  }
  log.info('server listening', { port, role: config.ROLE, store: stores.kind, data: where });
  process.stdout.write(
    `\n  Console:  http://localhost:${port}/\n  GraphiQL: http://localhost:${port}/graphql   (store: ${where})\n\n`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const drainMs = config.DRAIN_TIMEOUT;
    log.info('shutting down', { signal, drainMs, inFlight: runtime.dispatcher?.inFlight ?? 0 });
    try {
      // The API stops taking requests and closes subscriptions (1001) while the worker stops
      // claiming, lets attempts in progress finish up to the deadline and releases the rest.
      await Promise.all([app.close(drainMs), runtime.close(drainMs)]);
      await stores.close();
      // The spans of the drain itself (the last attempts) are exported before the process ends.
      await tracing.shutdown();
      log.info('stopped', { signal });
      process.exit(0);
    } catch (err) {
      log.error('shutdown failed', errorFields(err));
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
