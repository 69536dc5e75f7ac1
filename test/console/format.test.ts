/** The console's words for what the API returns as codes. */
import { expect, test } from 'vitest';
import { ATTEMPT_ERROR_SENTENCES, attemptErrorSentence } from '../../src/console/app/format.js';
import { ATTEMPT_ERROR_CODES } from '../../src/domain/invocation.js';

test('every attempt error code has a sentence, and an unknown one is named as it is', () => {
  expect(Object.keys(ATTEMPT_ERROR_SENTENCES).sort()).toEqual([...ATTEMPT_ERROR_CODES].sort());
  for (const sentence of Object.values(ATTEMPT_ERROR_SENTENCES)) expect(sentence).toMatch(/^[A-Z].*\.$/);
  expect(attemptErrorSentence('SSRF_BLOCKED')).toBe(
    'The address is private (or otherwise not allowed), so it is never called.',
  );
  expect(attemptErrorSentence('SOMETHING_NEW')).toBe('The attempt failed (SOMETHING_NEW).');
});
