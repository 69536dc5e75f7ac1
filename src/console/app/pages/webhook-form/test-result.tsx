import type { TestResult } from '../../hooks/use-webhook-form.js';

/** The last test's verdict, announced politely; its invocation data opens in the invocation panel. */
export function TestResultRegion(props: { result: TestResult | null; onShowInvocation: () => void }) {
  const { result } = props;
  return (
    <div aria-live="polite" class="test-result-region">
      {result && (
        <div class={`alert ${result.success ? 'success' : 'error'} test-result`}>
          <p>
            <strong>{result.success ? 'Test successful' : 'Test failed'}</strong>
            {result.invocation.lastAttempt?.error
              ? `: ${result.invocation.lastAttempt.error.message}`
              : result.invocation.lastAttempt?.response
                ? ` (HTTP ${result.invocation.lastAttempt.response.statusCode})`
                : ''}
          </p>
          <button type="button" class="secondary small" onClick={props.onShowInvocation}>
            View invocation data
          </button>
        </div>
      )}
    </div>
  );
}
