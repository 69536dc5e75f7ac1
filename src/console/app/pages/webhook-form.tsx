import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { ChipsInput } from '../components/chips-input.js';
import { CodeEditor } from '../components/code-editor.js';
import {
  describedBy,
  type Errors,
  errorsFromPaths,
  errorUnder,
  Field,
  FieldError,
  fieldId,
  Hint,
} from '../components/field.js';
import { InvocationPanel } from '../components/invocation-panel.js';
import { PayloadPanel } from '../components/payload-panel.js';
import { FILTER_DIMENSIONS, type FilterDimension, METHODS, TRIGGERS, triggerLabel } from '../enums.js';
import { type Flash, setFlash, takeFlash } from '../flash.js';
import { errorLine, reasonText } from '../format.js';
import type {
  ConsoleCreateWebhookMutation,
  ConsoleDeleteWebhookMutation,
  ConsoleTestWebhookMutation,
  ConsoleUpdateWebhookMutation,
  HttpMethod,
  WebhookTrigger as Trigger,
  ConsoleWebhookFragment as Webhook,
} from '../gql/graphql.js';
import { CREATE_WEBHOOK, DELETE_WEBHOOK, TEST_WEBHOOK, UPDATE_WEBHOOK, WEBHOOK } from '../queries.js';
import { href, navigate } from '../router.js';
import {
  type FormState,
  fieldLabel,
  formFromWebhook,
  keptSecrets,
  localErrors,
  newForm,
  rowKey,
  toInput,
} from '../webhook-model.js';

type Saved = { webhook: Webhook } | null;

/** A result-union member of the form's mutations that is not a success: every error type of theirs. */
type ErrorResult = Exclude<
  | ConsoleCreateWebhookMutation['createWebhook']
  | ConsoleUpdateWebhookMutation['updateWebhook']
  | ConsoleDeleteWebhookMutation['deleteWebhook']
  | ConsoleTestWebhookMutation['testWebhook'],
  { __typename: `${string}Success` }
>;
type TestResult = Extract<ConsoleTestWebhookMutation['testWebhook'], { __typename: 'TestWebhookSuccess' }>;

/** Add / edit a webhook: every field of the definition, server-side validation shown per field. */
export function WebhookFormPage(props: { id: string | null; canEdit: boolean }) {
  const [saved, setSaved] = useState<Saved>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState>(newForm);
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [flash, setFlashState] = useState<Flash | null>(() => takeFlash());
  const [busy, setBusy] = useState<'save' | 'test' | 'delete' | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  const [testTrigger, setTestTrigger] = useState<Trigger | ''>('');
  const [testResult, setTestResult] = useState<TestResult | null>(null);
  const [showInvocation, setShowInvocation] = useState(false);
  const template = useRef<HTMLTextAreaElement>(null);
  const panelToggle = useRef<HTMLButtonElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!props.id) {
      setSaved(null);
      setForm(newForm());
      return;
    }
    let stale = false;
    gql(WEBHOOK, { id: props.id }).then(
      (d) => {
        if (stale) return;
        if (!d.webhook)
          return setLoadError('No webhook with this id: it was deleted, or belongs to another account.');
        setSaved({ webhook: d.webhook });
        setForm(formFromWebhook(d.webhook));
      },
      (e: Error) => !stale && setLoadError(e.message),
    );
    return () => {
      stale = true;
    };
  }, [props.id]);

  const initial = useMemo(
    () => JSON.stringify(toInput(saved ? formFromWebhook(saved.webhook) : newForm())),
    [saved],
  );
  const dirty = JSON.stringify(toInput(form)) !== initial;

  /** Changes fields and forgets the errors reported for them. */
  const update = (patch: Partial<FormState>, ...errorKeys: string[]) => {
    setForm((f) => ({ ...f, ...patch }));
    if (errorKeys.length) {
      setErrors((current) => {
        const next = { ...current };
        for (const key of Object.keys(next)) {
          if (errorKeys.some((k) => key === k || key.startsWith(`${k}.`))) delete next[key];
        }
        return next;
      });
    }
  };

  const showErrors = (next: Errors, message: string) => {
    setErrors(next);
    setSummary(message);
    // The summary is announced (role=alert); focus it so keyboard users start from the list of problems.
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const handleError = (result: ErrorResult) => {
    if (result.__typename === 'ValidationError') {
      const count = result.fieldErrors.length;
      showErrors(
        errorsFromPaths(result.fieldErrors),
        `The server did not accept the webhook: ${count} ${count === 1 ? 'problem' : 'problems'} to fix.`,
      );
    } else if (result.__typename === 'ConflictError' && /named/.test(result.message)) {
      showErrors({ name: result.message }, 'The server did not accept the webhook: 1 problem to fix.');
    } else {
      showErrors({ _form: result.message }, result.message);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!props.canEdit || busy) return;
    const local = localErrors(form);
    if (Object.keys(local).length) return showErrors(local, 'Fix the marked fields.');
    setBusy('save');
    setFlashState(null);
    try {
      if (saved) {
        const { updateWebhook: result } = await gql(UPDATE_WEBHOOK, {
          id: saved.webhook.id,
          input: toInput(form),
        });
        if (result.__typename !== 'UpdateWebhookSuccess') return handleError(result);
        setSaved({ webhook: result.webhook });
        setForm(formFromWebhook(result.webhook));
        setErrors({});
        setSummary(null);
        setFlashState({ kind: 'success', text: `Saved “${result.webhook.name}”.` });
      } else {
        const { createWebhook: result } = await gql(CREATE_WEBHOOK, { input: toInput(form) });
        if (result.__typename !== 'CreateWebhookSuccess') return handleError(result);
        setFlash({
          kind: 'success',
          text: `Created “${result.webhook.name}”.`,
          signingSecret: result.signingSecret,
        });
        navigate({ page: 'webhook', id: result.webhook.id }, true);
      }
    } catch (err) {
      showErrors({ _form: (err as Error).message }, (err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const runTest = async () => {
    if (!props.canEdit || busy) return;
    // A saved, unchanged webhook is tested as stored (with its secrets); anything else as the form stands.
    const asStored = saved !== null && !dirty;
    const local = { ...localErrors(form), ...(asStored ? {} : keptSecrets(form)) };
    if (Object.keys(local).length) return showErrors(local, 'Fix the marked fields to run the test.');
    setBusy('test');
    setTestResult(null);
    try {
      const { testWebhook: result } = await gql(TEST_WEBHOOK, {
        ...(asStored ? { id: saved.webhook.id } : { input: toInput(form) }),
        trigger: testTrigger || null,
      });
      if (result.__typename !== 'TestWebhookSuccess') return handleError(result);
      setErrors({});
      setSummary(null);
      setTestResult(result);
    } catch (err) {
      showErrors({ _form: (err as Error).message }, (err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!saved || !props.canEdit || busy) return;
    if (!window.confirm(`Delete the webhook “${saved.webhook.name}”? Its invocation log goes with it.`))
      return;
    setBusy('delete');
    try {
      const { deleteWebhook: result } = await gql(DELETE_WEBHOOK, { id: saved.webhook.id });
      if (result.__typename !== 'DeleteWebhookSuccess') return handleError(result);
      setFlash({ kind: 'success', text: `Deleted “${saved.webhook.name}”.` });
      navigate({ page: 'webhooks' });
    } catch (err) {
      showErrors({ _form: (err as Error).message }, (err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const insertIntoTemplate = (text: string) => {
    const area = template.current;
    const value = form.bodyTemplate;
    const start = area?.selectionStart ?? value.length;
    const end = area?.selectionEnd ?? value.length;
    update({ bodyTemplate: value.slice(0, start) + text + value.slice(end) }, 'bodyTemplate');
    requestAnimationFrame(() => area?.setSelectionRange(start + text.length, start + text.length));
  };

  if (loadError) {
    return (
      <>
        <h1 tabIndex={-1}>Webhook</h1>
        <p class="alert error" role="alert">
          {loadError}
        </p>
        <a href={href({ page: 'webhooks' })}>Back to webhooks</a>
      </>
    );
  }
  if (props.id && !saved) return <p class="muted">Loading…</p>;

  const readOnly = !props.canEdit;
  const title = saved ? saved.webhook.name : 'New webhook';
  const bodyError = errors.bodyTemplate;
  const summaryItems = Object.entries(errors);

  return (
    <div class={`form-page ${panelOpen ? 'with-panel' : ''}`}>
      <div class="form-main">
        <div class="page-head">
          <h1 tabIndex={-1}>{title}</h1>
          {saved && (
            <a href={href({ page: 'invocations', webhookId: saved.webhook.id })} class="button secondary">
              Invocations
            </a>
          )}
        </div>
        {readOnly && (
          <p class="alert info" role="note">
            Read-only: this API key has the VIEWER role.
          </p>
        )}
        {flash && (
          <div class={`alert ${flash.kind}`} role="status">
            <p>{flash.text}</p>
            {flash.signingSecret && <SigningSecret secret={flash.signingSecret} />}
          </div>
        )}
        {summary && (
          <div class="alert error summary" role="alert" tabIndex={-1} ref={summaryRef}>
            <p>{summary}</p>
            {summaryItems.length > 0 && (
              <ul>
                {summaryItems.map(([key, message]) => (
                  <li key={key}>
                    <button
                      type="button"
                      class="link-button"
                      onClick={() =>
                        (
                          document.getElementById(fieldId(key)) ??
                          document.getElementById(fieldId(key.split('.').slice(0, 2).join('.')))
                        )?.focus()
                      }
                    >
                      {fieldLabel(key)}: {message}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <form class="webhook-form" onSubmit={save} noValidate aria-label={title}>
          <fieldset class="plain" disabled={readOnly}>
            <section class="card" aria-labelledby="sec-general">
              <h2 id="sec-general">General</h2>
              <Field
                field="name"
                label="Name"
                error={errors.name}
                hint="Letters, digits, spaces, - and _; unique in the account."
              >
                <input
                  {...describedBy('name', errors.name, true)}
                  type="text"
                  value={form.name}
                  maxLength={100}
                  autocomplete="off"
                  onInput={(e) => update({ name: e.currentTarget.value }, 'name')}
                />
              </Field>
              <div class="field switch-field">
                <input
                  {...describedBy('status', errors.status, Boolean(saved?.webhook.disabledReason))}
                  type="checkbox"
                  role="switch"
                  aria-checked={form.active}
                  checked={form.active}
                  onChange={(e) => update({ active: e.currentTarget.checked }, 'status')}
                />
                <label for={fieldId('status')}>Active</label>
                {saved?.webhook.disabledReason && (
                  <Hint field="status">
                    {reasonText(saved.webhook.disabledReason)}. Turning it on clears this.
                  </Hint>
                )}
                <FieldError field="status" message={errors.status} />
              </div>
              <div class="row">
                <Field field="method" label="Method" error={errors.method} class="narrow">
                  <select
                    {...describedBy('method', errors.method)}
                    value={form.method}
                    onChange={(e) => update({ method: e.currentTarget.value as HttpMethod }, 'method')}
                  >
                    {METHODS.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field
                  field="url"
                  label="URL"
                  error={errors.url}
                  hint="https only, no port other than 443."
                  class="grow"
                >
                  <input
                    {...describedBy('url', errors.url, true)}
                    type="url"
                    inputMode="url"
                    value={form.url}
                    placeholder="https://hooks.example.com/access"
                    autocomplete="off"
                    onInput={(e) => update({ url: e.currentTarget.value }, 'url')}
                  />
                </Field>
              </div>
            </section>

            <fieldset
              class="card"
              aria-describedby={errors.triggers ? `${fieldId('triggers')}-error` : undefined}
            >
              <legend>Triggers</legend>
              <div class="checkbox-grid" id={fieldId('triggers')} tabIndex={-1}>
                {TRIGGERS.map((t) => (
                  <label key={t} class="checkbox">
                    <input
                      type="checkbox"
                      checked={form.triggers.includes(t)}
                      onChange={(e) =>
                        update(
                          {
                            triggers: e.currentTarget.checked
                              ? TRIGGERS.filter((x) => x === t || form.triggers.includes(x))
                              : form.triggers.filter((x) => x !== t),
                          },
                          'triggers',
                        )
                      }
                    />
                    {triggerLabel(t)}
                  </label>
                ))}
              </div>
              <FieldError field="triggers" message={errorUnder(errors, 'triggers')} />
            </fieldset>
          </fieldset>

          {/* Outside the read-only fieldsets: viewers may still read the template and the payload schema. */}
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
                  aria-expanded={panelOpen}
                  aria-controls="payload-panel"
                  ref={panelToggle}
                  onClick={() => setPanelOpen((open) => !open)}
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
                textareaRef={template}
                readOnly={readOnly}
                hint
              />
              <Hint field="bodyTemplate">
                JSON with Liquid placeholders, e.g. <code>{'{{ data.requester.email }}'}</code>; values are
                JSON-escaped, <code>{'{{ value | json }}'}</code> emits raw JSON.
              </Hint>
              <FieldError field="bodyTemplate" message={bodyError} />
            </div>
          </section>

          <fieldset class="plain" disabled={readOnly}>
            <HeadersSection form={form} errors={errors} update={update} readOnly={readOnly} />
            <AuthSection form={form} errors={errors} update={update} />
            <FiltersSection form={form} errors={errors} update={update} readOnly={readOnly} />

            <section class="card" aria-labelledby="sec-delivery">
              <h2 id="sec-delivery">Delivery and validation</h2>
              <Field
                field="timeoutSeconds"
                label="Timeout (seconds)"
                error={errors.timeoutSeconds}
                hint="1 to 120; default 30."
                class="narrow"
              >
                <input
                  {...describedBy('timeoutSeconds', errors.timeoutSeconds, true)}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={120}
                  step={1}
                  value={form.timeout}
                  onInput={(e) => update({ timeout: e.currentTarget.value }, 'timeoutSeconds')}
                />
              </Field>
              <ValidatorsSection form={form} errors={errors} update={update} readOnly={readOnly} />
              <Field
                field="customValidationErrorMessage"
                label="Custom validation message"
                error={errors.customValidationErrorMessage}
                hint="Shown when the response fails validation."
              >
                <input
                  {...describedBy('customValidationErrorMessage', errors.customValidationErrorMessage, true)}
                  type="text"
                  value={form.customMessage}
                  onInput={(e) =>
                    update({ customMessage: e.currentTarget.value }, 'customValidationErrorMessage')
                  }
                />
              </Field>
            </section>
          </fieldset>

          {errors._form && !summary && (
            <p class="alert error" role="alert">
              {errors._form}
            </p>
          )}

          {props.canEdit && (
            <div class="actions">
              <button type="submit" class="primary" disabled={busy !== null}>
                {busy === 'save' ? 'Saving…' : saved ? 'Save' : 'Create webhook'}
              </button>
              <div class="test-controls">
                <label for="test-trigger" class="sr-only">
                  Test with trigger
                </label>
                <select
                  id="test-trigger"
                  value={testTrigger}
                  onChange={(e) => setTestTrigger(e.currentTarget.value as Trigger | '')}
                >
                  <option value="">Test with: first trigger</option>
                  {TRIGGERS.map((t) => (
                    <option key={t} value={t}>
                      {`Test with: ${triggerLabel(t)}`}
                    </option>
                  ))}
                </select>
                <button type="button" class="secondary" disabled={busy !== null} onClick={runTest}>
                  {busy === 'test' ? 'Testing…' : 'Test'}
                </button>
              </div>
              {saved && (
                <button type="button" class="danger" disabled={busy !== null} onClick={remove}>
                  Delete
                </button>
              )}
              <a href={href({ page: 'webhooks' })} class="button link">
                Back to webhooks
              </a>
            </div>
          )}
          <div aria-live="polite" class="test-result-region">
            {testResult && (
              <div class={`alert ${testResult.success ? 'success' : 'error'} test-result`}>
                <p>
                  <strong>{testResult.success ? 'Test successful' : 'Test failed'}</strong>
                  {testResult.invocation.lastAttempt?.error
                    ? `: ${testResult.invocation.lastAttempt.error.message}`
                    : testResult.invocation.lastAttempt?.response
                      ? ` (HTTP ${testResult.invocation.lastAttempt.response.statusCode})`
                      : ''}
                </p>
                <button type="button" class="secondary small" onClick={() => setShowInvocation(true)}>
                  View invocation data
                </button>
              </div>
            )}
          </div>
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
      {showInvocation && testResult && (
        <InvocationPanel invocation={testResult.invocation} onClose={() => setShowInvocation(false)} />
      )}
    </div>
  );
}

function SigningSecret({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <p class="secret">
      Signing secret, shown only now: <code>{secret}</code>{' '}
      <button
        type="button"
        class="secondary small"
        onClick={() =>
          navigator.clipboard?.writeText(secret).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </p>
  );
}

type SectionProps = {
  form: FormState;
  errors: Errors;
  update: (patch: Partial<FormState>, ...errorKeys: string[]) => void;
  readOnly?: boolean;
};

function HeadersSection({ form, errors, update, readOnly }: SectionProps) {
  const setRow = (index: number, patch: Partial<FormState['headers'][number]>, key: string) =>
    update({ headers: form.headers.map((h, i) => (i === index ? { ...h, ...patch } : h)) }, key);
  const add = () => {
    update({ headers: [...form.headers, { key: rowKey(), name: '', value: '', stored: null }] }, 'headers');
    const index = form.headers.length;
    requestAnimationFrame(() => document.getElementById(fieldId(`headers.${index}.name`))?.focus());
  };
  return (
    <fieldset class="card" id={fieldId('headers')} tabIndex={-1}>
      <legend>Headers</legend>
      <p class="hint">
        Sent with every request, e.g. <code>Authorization: Bearer …</code>. Values are secrets: stored values
        are shown masked and kept unless you type a new one.
      </p>
      {form.headers.length === 0 && <p class="muted">No headers.</p>}
      {form.headers.map((h, i) => {
        const nameKey = `headers.${i}.name`;
        const valueKey = `headers.${i}.value`;
        return (
          <div class="kv-row" key={h.key}>
            <Field field={nameKey} label={`Header ${i + 1} name`} error={errors[nameKey]}>
              <input
                {...describedBy(nameKey, errors[nameKey])}
                type="text"
                value={h.name}
                autocomplete="off"
                spellcheck={false}
                onInput={(e) => setRow(i, { name: e.currentTarget.value }, nameKey)}
              />
            </Field>
            <Field
              field={valueKey}
              label={`Header ${i + 1} value`}
              error={errors[valueKey]}
              hint={h.stored ? 'Stored; leave empty to keep it.' : undefined}
            >
              <input
                {...describedBy(valueKey, errors[valueKey], Boolean(h.stored))}
                type="password"
                value={h.value}
                placeholder={h.stored ?? ''}
                autocomplete="new-password"
                spellcheck={false}
                onInput={(e) => setRow(i, { value: e.currentTarget.value }, valueKey)}
              />
            </Field>
            {!readOnly && (
              <button
                type="button"
                class="secondary small remove"
                aria-label={`Remove header ${i + 1}${h.name ? ` (${h.name})` : ''}`}
                onClick={() => update({ headers: form.headers.filter((_, j) => j !== i) }, 'headers')}
              >
                Remove
              </button>
            )}
          </div>
        );
      })}
      <FieldError field="headers" message={errors.headers} />
      {!readOnly && (
        <button type="button" class="secondary small" onClick={add}>
          Add header
        </button>
      )}
    </fieldset>
  );
}

function AuthSection({ form, errors, update }: SectionProps) {
  return (
    <fieldset
      class="card"
      id={fieldId('oauth')}
      tabIndex={-1}
      aria-describedby={errors.oauth ? `${fieldId('oauth')}-error` : undefined}
    >
      <legend>Authentication</legend>
      <div class="radio-row">
        <label class="checkbox">
          <input
            type="radio"
            name="auth"
            value="NONE"
            checked={form.auth === 'NONE'}
            onChange={() => update({ auth: 'NONE' }, 'oauth')}
          />
          None, or headers only
        </label>
        <label class="checkbox">
          <input
            type="radio"
            name="auth"
            value="OAUTH"
            checked={form.auth === 'OAUTH'}
            onChange={() => update({ auth: 'OAUTH' }, 'oauth')}
          />
          OAuth 2.0 client credentials
        </label>
      </div>
      <FieldError field="oauth" message={errors.oauth} />
      {form.auth === 'OAUTH' && (
        <div class="grid-2">
          <Field field="oauth.clientId" label="Client id" error={errors['oauth.clientId']}>
            <input
              {...describedBy('oauth.clientId', errors['oauth.clientId'])}
              type="text"
              value={form.oauthClientId}
              autocomplete="off"
              onInput={(e) => update({ oauthClientId: e.currentTarget.value }, 'oauth.clientId')}
            />
          </Field>
          <Field
            field="oauth.clientSecret"
            label="Client secret"
            error={errors['oauth.clientSecret']}
            hint={form.oauthStoredSecret ? 'Stored; leave empty to keep it.' : undefined}
          >
            <input
              {...describedBy(
                'oauth.clientSecret',
                errors['oauth.clientSecret'],
                Boolean(form.oauthStoredSecret),
              )}
              type="password"
              value={form.oauthClientSecret}
              placeholder={form.oauthStoredSecret ?? ''}
              autocomplete="new-password"
              onInput={(e) => update({ oauthClientSecret: e.currentTarget.value }, 'oauth.clientSecret')}
            />
          </Field>
          <Field field="oauth.tokenEndpointUrl" label="Token URL" error={errors['oauth.tokenEndpointUrl']}>
            <input
              {...describedBy('oauth.tokenEndpointUrl', errors['oauth.tokenEndpointUrl'])}
              type="url"
              value={form.oauthTokenUrl}
              placeholder="https://auth.example.com/oauth/token"
              autocomplete="off"
              onInput={(e) => update({ oauthTokenUrl: e.currentTarget.value }, 'oauth.tokenEndpointUrl')}
            />
          </Field>
          <div class="field">
            <label for={fieldId('oauth.scopes')}>Scopes</label>
            <ChipsInput
              field="oauth.scopes"
              label="Scopes"
              values={form.oauthScopes}
              onChange={(values) => update({ oauthScopes: values }, 'oauth.scopes')}
              error={errorUnder(errors, 'oauth.scopes')}
            />
            <FieldError field="oauth.scopes" message={errorUnder(errors, 'oauth.scopes')} />
          </div>
        </div>
      )}
    </fieldset>
  );
}

function FiltersSection({ form, errors, update, readOnly }: SectionProps) {
  const active = FILTER_DIMENSIONS.filter(([d]) => form.filters[d].length > 0).length;
  const hasError = Object.keys(errors).some((k) => k.startsWith('filters'));
  const setDimension = (d: FilterDimension, values: string[]) =>
    update({ filters: { ...form.filters, [d]: values } }, `filters.${d}`);
  return (
    <details class="card" open={active > 0 || hasError}>
      <summary>
        <h2>Filters</h2>{' '}
        <span class="muted">
          {active === 0
            ? 'none: every event of the triggers'
            : `${active} ${active === 1 ? 'dimension' : 'dimensions'}`}
        </span>
      </summary>
      <p class="hint">Any value of a dimension matches; every dimension with values must match.</p>
      <div class="grid-2">
        {FILTER_DIMENSIONS.map(([d, label]) => {
          const key = `filters.${d}`;
          const error = errorUnder(errors, key);
          return (
            <div class={`field ${error ? 'has-error' : ''}`} key={d}>
              <label for={fieldId(key)}>{label}</label>
              <ChipsInput
                field={key}
                label={label}
                values={form.filters[d]}
                onChange={(values) => setDimension(d, values)}
                error={error}
                disabled={readOnly}
              />
              <FieldError field={key} message={error} />
            </div>
          );
        })}
      </div>
    </details>
  );
}

function ValidatorsSection({ form, errors, update, readOnly }: SectionProps) {
  const setRow = (index: number, patch: Partial<FormState['validators'][number]>, key: string) =>
    update({ validators: form.validators.map((v, i) => (i === index ? { ...v, ...patch } : v)) }, key);
  const add = () => {
    update(
      { validators: [...form.validators, { key: rowKey(), jsonPath: '$.data.', expectedValues: [] }] },
      'responseValidators',
    );
    const index = form.validators.length;
    requestAnimationFrame(() =>
      document.getElementById(fieldId(`responseValidators.${index}.jsonPath`))?.focus(),
    );
  };
  return (
    <fieldset class="nested" id={fieldId('responseValidators')} tabIndex={-1}>
      <legend>Response validators</legend>
      <p class="hint">
        The response body is read as <code>{'{ "data": <body> }'}</code>: a validator passes when the value at
        its path equals any expected value; all must pass.
      </p>
      {form.validators.length === 0 && <p class="muted">No validators: any 2xx response is a success.</p>}
      {form.validators.map((v, i) => {
        const pathKey = `responseValidators.${i}.jsonPath`;
        const valuesKey = `responseValidators.${i}.expectedValues`;
        return (
          <div class="kv-row" key={v.key}>
            <Field field={pathKey} label={`Validator ${i + 1} JSON path`} error={errors[pathKey]}>
              <input
                {...describedBy(pathKey, errors[pathKey])}
                type="text"
                value={v.jsonPath}
                spellcheck={false}
                autocomplete="off"
                onInput={(e) => setRow(i, { jsonPath: e.currentTarget.value }, pathKey)}
              />
            </Field>
            <div class={`field ${errorUnder(errors, valuesKey) ? 'has-error' : ''}`}>
              <label for={fieldId(valuesKey)}>{`Validator ${i + 1} expected values`}</label>
              <ChipsInput
                field={valuesKey}
                label={`Validator ${i + 1} expected values`}
                values={v.expectedValues}
                onChange={(values) => setRow(i, { expectedValues: values }, valuesKey)}
                error={errorUnder(errors, valuesKey)}
                disabled={readOnly}
              />
              <FieldError field={valuesKey} message={errorUnder(errors, valuesKey)} />
            </div>
            {!readOnly && (
              <button
                type="button"
                class="secondary small remove"
                aria-label={`Remove validator ${i + 1}`}
                onClick={() =>
                  update({ validators: form.validators.filter((_, j) => j !== i) }, 'responseValidators')
                }
              >
                Remove
              </button>
            )}
          </div>
        );
      })}
      <FieldError field="responseValidators" message={errors.responseValidators} />
      {!readOnly && (
        <button type="button" class="secondary small" onClick={add}>
          Add validator
        </button>
      )}
    </fieldset>
  );
}
