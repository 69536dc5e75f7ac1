import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { createAccount } from '../src/domain/api-key-use-cases.js';
import { openStores } from '../src/store/open.js';

/**
 * Creates an account and its first admin API key in the configured store (SQLite in DATA_DIR, or
 * MONGODB_URI), and prints the key once. Usage: npm run account:create -- --name "Acme security"
 */
const { values } = parseArgs({ options: { name: { type: 'string' } } });
const name = values.name?.trim();
if (!name) {
  process.stderr.write('usage: npm run account:create -- --name "<account name>"\n');
  process.exit(2);
}
const config = loadConfig();
const stores = await openStores(config);
try {
  const { account, apiKey, token } = await createAccount({ apiKeys: stores.apiKeys }, name);
  process.stdout.write(
    `account ${account.id} ("${account.name}") in ${stores.kind}\n` +
      `admin API key ${apiKey.id} (shown once):\n\n  ${token}\n\n`,
  );
} finally {
  await stores.close();
}
