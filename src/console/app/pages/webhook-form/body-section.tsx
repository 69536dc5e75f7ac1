import type { Ref } from 'preact';
import { CodeEditor } from '../../components/code-editor.js';
import { FieldError, fieldId, Hint } from '../../components/field.js';
import { errorLine } from '../../format.js';
import type { SectionProps } from './section.js';

/**
 * The body template's editor and the button that opens the payload-schema panel. Outside the read-only
 * fieldsets: viewers may still read the template and the payload schema.
 */
export function BodySection(
  props: SectionProps & {
    panelOpen: boolean;
    onTogglePanel: () => void;
    toggleRef: Ref<HTMLButtonElement>;
    templateRef: Ref<HTMLTextAreaElement>;
  },
) {
  const { form, errors, update } = props;
  const bodyError = errors.bodyTemplate;
  return (
    <section class="card" aria-labelledby="sec-body">
      <div class="section-head">
        <h2 id="sec-body">Body</h2>
      </div>
      <div class={`field ${bodyError ? 'has-error' : ''}`}>
        <div class="label-row">
          <label for={fieldId('bodyTemplate')}>Body template</label>
          <button
            type="button"
            class="secondary small"
            aria-expanded={props.panelOpen}
            aria-controls="payload-panel"
            ref={props.toggleRef}
            onClick={props.onTogglePanel}
          >
            View event's payload schema
          </button>
        </div>
        <CodeEditor
          field="bodyTemplate"
          value={form.bodyTemplate}
          onInput={(value) => update({ bodyTemplate: value }, 'bodyTemplate')}
          error={bodyError}
          errorLine={errorLine(bodyError)}
          textareaRef={props.templateRef}
          readOnly={props.readOnly}
          hint
        />
        <Hint field="bodyTemplate">
          JSON with Liquid placeholders, e.g. <code>{'{{ data.requester.email }}'}</code>; values are
          JSON-escaped, <code>{'{{ value | json }}'}</code> emits raw JSON.
        </Hint>
        <FieldError field="bodyTemplate" message={bodyError} />
      </div>
    </section>
  );
}
