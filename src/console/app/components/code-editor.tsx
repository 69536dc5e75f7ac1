import type { Ref } from 'preact';
import { useRef } from 'preact/hooks';
import { describedBy } from './field.js';

/**
 * A plain textarea with a line-number gutter (scrolled together), monospace and unwrapped so numbers
 * line up; the line a template error names is marked. Tab keeps its usual meaning (next field), so the
 * editor never traps keyboard users.
 */
export function CodeEditor(props: {
  field: string;
  value: string;
  onInput: (value: string) => void;
  error: string | undefined;
  errorLine: number | null;
  textareaRef: Ref<HTMLTextAreaElement>;
  readOnly?: boolean;
  hint?: boolean;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(1, props.value.split('\n').length);
  return (
    <div class={`code-editor ${props.error ? 'has-error' : ''}`}>
      <div class="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} class={props.errorLine === i + 1 ? 'error-line' : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        {...describedBy(props.field, props.error, props.hint)}
        ref={props.textareaRef}
        value={props.value}
        rows={Math.min(18, Math.max(8, lines + 1))}
        spellcheck={false}
        autocapitalize="off"
        autocomplete="off"
        wrap="off"
        readOnly={props.readOnly}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}
