import { useEffect, useRef } from 'preact/hooks';
import { apiDimensionLabel, triggerLabel } from '../../enums.js';
import { attemptErrorSentence } from '../../format.js';
import type { TestOutcome } from '../../hooks/use-webhook-form.js';

/**
 * Whether real events like the test's sample would fire the webhook, in words: the test sends its
 * sample whatever the triggers and filters say, so a delivered test may still be one that real
 * events never repeat. Null when they would fire it.
 */
export function filterVerdict(result: TestOutcome): string | null {
  if (result.matched) return null;
  const lead = result.success ? 'Test delivered, but real events like this one' : 'Real events like this one';
  const trigger = `${triggerLabel(result.invocation.trigger)} is not one of the webhook's triggers`;
  const filters = result.blockedBy.map(apiDimensionLabel).join(', ');
  if (!result.triggerMatched && filters === '') return `${lead} would not fire it: ${trigger}.`;
  if (!result.triggerMatched) {
    return `${lead} would not fire it: ${trigger}, and they would be filtered out by: ${filters}.`;
  }
  return `${lead} would be filtered out by: ${filters}.`;
}

/**
 * The last test's verdict, announced politely and scrolled into view when it arrives (Test sits in the
 * pinned action bar, far above where the form ends); the focus stays on Test, so it can be run again.
 * Its invocation data opens in the invocation panel.
 */
export function TestResultRegion(props: { result: TestOutcome | null; onShowInvocation: () => void }) {
  const { result } = props;
  const verdict = result && filterVerdict(result);
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) region.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);
  const error = result?.invocation.lastAttempt?.error;
  return (
    <div aria-live="polite" class="test-result-region" ref={region}>
      {result && (
        <div
          class={`alert ${!result.success ? 'error' : verdict ? 'warning' : 'success'} test-result`}
          data-matched={String(result.matched)}
        >
          <div>
            <p>
              <strong>{result.success ? 'Test successful' : 'Test failed'}</strong>
              {error
                ? `: ${error.message}`
                : result.invocation.lastAttempt?.response
                  ? ` (HTTP ${result.invocation.lastAttempt.response.statusCode})`
                  : ''}
            </p>
            {error && <p class="error-sentence">{attemptErrorSentence(error.code)}</p>}
            {verdict && <p class="verdict">{verdict}</p>}
          </div>
          <button type="button" class="secondary small" onClick={props.onShowInvocation}>
            View invocation data
          </button>
        </div>
      )}
    </div>
  );
}
