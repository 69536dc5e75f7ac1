import { TRIGGERS, triggerLabel } from '../../enums.js';
import type { WebhookTrigger } from '../../gql/graphql.js';
import { href } from '../../router.js';

/**
 * Save (or Create), Test with a trigger, Delete and Back: shown to keys that may edit. While one runs
 * the buttons are aria-disabled, not disabled: a disabled button drops the focus, and the keyboard
 * would start again from the top of the page (the form ignores presses while it is busy).
 */
export function ActionBar(props: {
  busy: 'save' | 'test' | 'delete' | null;
  saved: boolean;
  testTrigger: WebhookTrigger | '';
  onTestTrigger: (trigger: WebhookTrigger | '') => void;
  onTest: () => void;
  onDelete: () => void;
}) {
  const { busy, saved } = props;
  return (
    <div class="actions">
      <button type="submit" class="primary" aria-disabled={busy !== null}>
        {busy === 'save' ? 'Saving…' : saved ? 'Save' : 'Create webhook'}
      </button>
      <div class="test-controls">
        <label for="test-trigger" class="sr-only">
          Test with trigger
        </label>
        <select
          id="test-trigger"
          value={props.testTrigger}
          onChange={(e) => props.onTestTrigger(e.currentTarget.value as WebhookTrigger | '')}
        >
          <option value="">Test with: first trigger</option>
          {TRIGGERS.map((t) => (
            <option key={t} value={t}>
              {`Test with: ${triggerLabel(t)}`}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" aria-disabled={busy !== null} onClick={props.onTest}>
          {busy === 'test' ? 'Testing…' : 'Test'}
        </button>
      </div>
      {saved && (
        <button type="button" class="danger" aria-disabled={busy !== null} onClick={props.onDelete}>
          Delete
        </button>
      )}
      <a href={href({ page: 'webhooks' })} class="button link">
        Back to webhooks
      </a>
    </div>
  );
}
