import type { Ref, RefObject } from 'preact';
import { CodeEditor, type CodeEditorHandle } from '../../components/code-editor.js';
import { FieldError, fieldId, Hint } from '../../components/field.js';
import { eventPathCompletion } from '../../components/template-language.js';
import { errorLine } from '../../format.js';
import { loadSchema, type SchemaField, schemaFields } from '../../payload-schema.js';
import type { SectionProps } from './section.js';

let fields: Promise<SchemaField[]> | null = null;
/** The payload schema's fields, for the editor's completion (loaded when first asked for). */
const eventFields = () => {
  fields ??= loadSchema().then(schemaFields);
  fields.catch(() => {
    fields = null;
  });
  return fields;
};
const completions = eventPathCompletion(eventFields);

/**
 * The body template's editor and the button that opens the payload-schema panel. Outside the read-only
 * fieldsets: viewers may still read the template and the payload schema.
 */
export function BodySection(
  props: SectionProps & {
    panelOpen: boolean;
    onTogglePanel: () => void;
    toggleRef: Ref<HTMLButtonElement>;
    editorRef: RefObject<CodeEditorHandle | null>;
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
          {/* biome-ignore lint/a11y/noLabelWithoutControl: the editor (no control a label's `for` reaches) points here with aria-labelledby */}
          <label id={`${fieldId('bodyTemplate')}-label`}>Body template</label>
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
          labelId={`${fieldId('bodyTemplate')}-label`}
          editorRef={props.editorRef}
          completions={completions}
          readOnly={props.readOnly}
          hint
        />
        <Hint field="bodyTemplate">
          JSON with Liquid placeholders, e.g. <code>{'{{ data.requester.email }}'}</code>; values are
          JSON-escaped, <code>{'{{ value | json }}'}</code> emits raw JSON. Event paths are suggested after{' '}
          <code>{'{{ '}</code> and <code>data.</code> (Ctrl+Space to ask); Tab moves to the next field.
        </Hint>
        <FieldError field="bodyTemplate" message={bodyError} />
      </div>
    </section>
  );
}
