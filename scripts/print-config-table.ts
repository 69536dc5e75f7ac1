import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTable } from '../src/config/settings-table.js';

/** Rewrites the README's settings table from the config schema (src/config/settings-table.ts). */
const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withSettingsTable(before);
writeFileSync(file, after);
process.stdout.write(
  after === before ? 'README.md: settings table up to date\n' : 'README.md: settings table rewritten\n',
);
