import { useRef, useState } from 'preact/hooks';
import type { CodeEditorHandle } from '../components/code-editor.js';
import { HealthChart } from '../components/health.js';
import { InvocationPanel } from '../components/invocation-panel.js';
import { PayloadPanel } from '../components/payload-panel.js';
import { useWebhookForm } from '../hooks/use-webhook-form.js';
import { href } from '../router.js';
import { previewInput } from '../webhook-model.js';
import { ActionBar } from './webhook-form/action-bar.js';
import { AuthSection } from './webhook-form/auth-section.js';
import { BodySection } from './webhook-form/body-section.js';
import { DeliverySection } from './webhook-form/delivery-section.js';
import { FiltersSection } from './webhook-form/filters-section.js';
import { GeneralSection } from './webhook-form/general-section.js';
import { HeadersSection } from './webhook-form/headers-section.js';
import { ErrorSummary, FlashMessage } from './webhook-form/messages.js';
import { PresetGallery } from './webhook-form/preset-gallery.js';
import { PreviewSection } from './webhook-form/preview-section.js';
import { TestResultRegion } from './webhook-form/test-result.js';
import { TriggersSection } from './webhook-form/triggers-section.js';

/**
 * Add / edit a webhook: every field of the definition, server-side validation shown per field. The
 * state and the API calls are useWebhookForm's; each section of the form is its own component
 * (./webhook-form/); this page lays them out with the payload-schema and invocation panels. The
 * preview of recent events is outside the read-only fieldsets: viewers may run it too.
 */
export function WebhookFormPage(props: { id: string | null; canEdit: boolean }) {
  const f = useWebhookForm(props.id, props.canEdit);
  const { saved, form, errors, update, summary } = f;
  const [panelOpen, setPanelOpen] = useState(false);
  const [showInvocation, setShowInvocation] = useState(false);
  const editor = useRef<CodeEditorHandle | null>(null);
  const panelToggle = useRef<HTMLButtonElement>(null);

  // At the editor's cursor; the focus goes back to the editor, so typing goes on there.
  const insertIntoTemplate = (text: string) => editor.current?.insert(text);

  if (f.loadError) {
    return (
      <>
        <h1 tabIndex={-1}>Webhook</h1>
        <p class="alert error" role="alert">
          {f.loadError}
        </p>
        <a href={href({ page: 'webhooks' })}>Back to webhooks</a>
      </>
    );
  }
  if (props.id && !saved) return <p class="muted">Loading…</p>;

  const readOnly = !props.canEdit;
  const title = saved ? saved.name : 'Add Webhook';
  const section = { form, errors, update, readOnly };

  return (
    <div class={`form-page ${panelOpen ? 'with-panel' : ''}`}>
      <div class="form-main">
        <div class="page-head">
          <h1 tabIndex={-1}>{title}</h1>
          {saved && (
            <a href={href({ page: 'invocations', webhookId: saved.id })} class="button secondary">
              Invocations
            </a>
          )}
        </div>
        {readOnly && (
          <p class="alert info" role="note">
            Read-only: this API key has the VIEWER role.
          </p>
        )}
        {f.flash && <FlashMessage flash={f.flash} />}
        {saved && <HealthChart webhookId={saved.id} />}
        {summary && <ErrorSummary summary={summary} errors={errors} summaryRef={f.summaryRef} />}
        {!saved && props.canEdit && <PresetGallery form={form} dirty={f.dirty} onChoose={f.applyPreset} />}

        <form
          class="webhook-form"
          onSubmit={(e) => {
            e.preventDefault();
            void f.save();
          }}
          noValidate
          aria-label={title}
        >
          <fieldset class="plain" disabled={readOnly}>
            <GeneralSection {...section} disabledReason={saved?.disabledReason} />
            <TriggersSection {...section} />
          </fieldset>

          <BodySection
            {...section}
            panelOpen={panelOpen}
            onTogglePanel={() => setPanelOpen((open) => !open)}
            toggleRef={panelToggle}
            editorRef={editor}
          />

          <fieldset class="plain" disabled={readOnly}>
            <HeadersSection {...section} />
            <AuthSection form={form} errors={errors} update={update} />
            <FiltersSection {...section} warnings={f.warnings} />
          </fieldset>

          <PreviewSection
            target={f.previewTarget}
            formKey={JSON.stringify(previewInput(form))}
            onFieldErrors={f.setErrors}
          />

          <fieldset class="plain" disabled={readOnly}>
            <DeliverySection {...section} />
          </fieldset>

          {errors._form && !summary && (
            <p class="alert error" role="alert">
              {errors._form}
            </p>
          )}

          {props.canEdit && (
            <ActionBar
              busy={f.busy}
              saved={saved !== null}
              testTrigger={f.testTrigger}
              onTestTrigger={f.setTestTrigger}
              onTest={f.runTest}
              onDelete={f.remove}
            />
          )}
          <TestResultRegion result={f.testResult} onShowInvocation={() => setShowInvocation(true)} />
        </form>
        {!props.canEdit && (
          <p>
            <a href={href({ page: 'webhooks' })}>Back to webhooks</a>
          </p>
        )}
      </div>
      {panelOpen && (
        <PayloadPanel
          id="payload-panel"
          triggers={form.triggers}
          onInsert={readOnly ? undefined : insertIntoTemplate}
          onClose={() => {
            setPanelOpen(false);
            panelToggle.current?.focus();
          }}
        />
      )}
      {showInvocation && f.testResult && (
        <InvocationPanel invocation={f.testResult.invocation} onClose={() => setShowInvocation(false)} />
      )}
      {f.dialog}
    </div>
  );
}
