/**
 * Regenerates the web console's screenshots in test/console/screenshots/ (shown in the README): runs the
 * console's end-to-end tests with CONSOLE_SCREENSHOTS=1, so the pictures are what the tests saw.
 *
 *   npm run screenshots
 */
import { spawnSync } from 'node:child_process';

// The tests whose pictures the README shows: the table, form and panels; the template gallery; the
// editor; the health chart.
const TESTS = ['console', 'presets', 'editor', 'health'].map((name) => `test/console/${name}.test.ts`);

const result = spawnSync('npx', ['vitest', 'run', ...TESTS], {
  stdio: 'inherit',
  env: { ...process.env, CONSOLE_SCREENSHOTS: '1' },
});
if (result.status === 0) process.stdout.write('\nScreenshots written to test/console/screenshots/\n');
process.exit(result.status ?? 1);
