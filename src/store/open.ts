import type { Config } from '../config/index.js';
import type { Stores } from '../domain/ports.js';
import { openMongoStores } from './mongo/index.js';
import { openSqliteStores, sqliteFileIn } from './sqlite/index.js';

/** MongoDB when MONGODB_URI is set, otherwise the embedded SQLite file in DATA_DIR. */
export async function openStores(
  config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB' | 'DATA_DIR'>,
): Promise<Stores> {
  if (config.MONGODB_URI) return openMongoStores(config.MONGODB_URI, config.MONGODB_DB);
  return openSqliteStores(sqliteFileIn(config.DATA_DIR));
}
