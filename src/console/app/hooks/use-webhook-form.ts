import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { useConfirm } from '../components/confirm-dialog.js';
import { type Errors, errorsFromPaths } from '../components/field.js';
import { type Flash, setFlash, takeFlash } from '../flash.js';
import type {
  ConsoleCreateWebhookMutation,
  ConsoleDeleteWebhookMutation,
  ConsoleTestWebhookMutation,
  ConsoleUpdateWebhookMutation,
  ConsoleWebhookFragment,
  CreateWebhookInput,
  WebhookTrigger,
} from '../gql/graphql.js';
import { CREATE_WEBHOOK, DELETE_WEBHOOK, TEST_WEBHOOK, UPDATE_WEBHOOK, WEBHOOK } from '../queries.js';
import { navigate, setLeaveGuard } from '../router.js';
import {
  type FormState,
  formFromPreset,
  formFromWebhook,
  keptSecrets,
  localErrors,
  newForm,
  type Preset,
  previewInput,
  toInput,
  unfilledPlaceholders,
} from '../webhook-model.js';

type Busy = 'save' | 'test' | 'delete' | null;

/** A result-union member of the form's mutations that is not a success: every error type of theirs. */
type MutationError = Exclude<
  | ConsoleCreateWebhookMutation['createWebhook']
  | ConsoleUpdateWebhookMutation['updateWebhook']
  | ConsoleDeleteWebhookMutation['deleteWebhook']
  | ConsoleTestWebhookMutation['testWebhook'],
  { __typename: `${string}Success` }
>;

export type TestResult = Extract<
  ConsoleTestWebhookMutation['testWebhook'],
  { __typename: 'TestWebhookSuccess' }
>;

/** A test's result, and whether the trigger it was run with is one of the tested definition's. */
export type TestOutcome = TestResult & { triggerMatched: boolean };

/** Changes fields and forgets the errors reported for them (and for the fields under them). */
export type Update = (patch: Partial<FormState>, ...errorKeys: string[]) => void;

/**
 * The add/edit form's state and its conversation with the API: loads the stored webhook, saves (create
 * or update), tests (the saved webhook, or the form as it stands), deletes, and maps the server's
 * errors (ValidationError field errors, a name conflict, anything else) to fields and a summary, and
 * the warnings of a save (a filter value no event carried) to fields and the saved message.
 */
export function useWebhookForm(id: string | null, canEdit: boolean) {
  const [saved, setSaved] = useState<ConsoleWebhookFragment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState>(newForm);
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [flash, setFlashState] = useState<Flash | null>(() => takeFlash(id ? { page: 'webhook', id } : null));
  // After createWebhook the page is opened anew: its warnings come with the flash.
  const [warnings, setWarnings] = useState<Errors>(() => errorsFromPaths(flash?.warnings ?? []));
  const [busy, setBusy] = useState<Busy>(null);
  const [testTrigger, setTestTrigger] = useState<WebhookTrigger | ''>('');
  const [testResult, setTestResult] = useState<TestOutcome | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!id) {
      setSaved(null);
      setForm(newForm());
      return;
    }
    let stale = false;
    gql(WEBHOOK, { id }).then(
      (d) => {
        if (stale) return;
        if (!d.webhook)
          return setLoadError('No webhook with this id: it was deleted, or belongs to another account.');
        setSaved(d.webhook);
        setForm(formFromWebhook(d.webhook));
      },
      (e: Error) => !stale && setLoadError(e.message),
    );
    return () => {
      stale = true;
    };
  }, [id]);

  const initial = useMemo(() => JSON.stringify(toInput(saved ? formFromWebhook(saved) : newForm())), [saved]);
  const dirty = JSON.stringify(toInput(form)) !== initial;

  // Unsaved work is not lost without a word: leaving the page (a link, Back, signing out) asks first,
  // in the console's own dialog; closing or reloading the tab gets the browser's question.
  const { ask, dialog } = useConfirm();
  const unsaved = useRef(false);
  unsaved.current = canEdit && dirty;
  const savedName = saved?.name;
  useEffect(
    () =>
      setLeaveGuard({
        active: () => unsaved.current,
        confirm: () =>
          ask({
            title: 'Leave without saving?',
            message: savedName
              ? `Your changes to “${savedName}” are not saved. If you leave now, they are lost.`
              : 'This new webhook is not saved yet. If you leave now, it is lost.',
            confirmLabel: 'Leave and discard changes',
            cancelLabel: 'Stay on this page',
            danger: true,
          }),
      }),
    [ask, savedName],
  );
  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (!unsaved.current) return;
      e.preventDefault();
      // Older browsers ask only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, []);

  const update: Update = (patch, ...errorKeys) => {
    setForm((f) => ({ ...f, ...patch }));
    if (errorKeys.length) {
      const forget = (current: Errors) => {
        const next = { ...current };
        for (const key of Object.keys(next)) {
          if (errorKeys.some((k) => key === k || key.startsWith(`${k}.`))) delete next[key];
        }
        return next;
      };
      setErrors(forget);
      setWarnings(forget);
    }
  };

  const showErrors = (next: Errors, message: string) => {
    setErrors(next);
    setSummary(message);
    // The summary is announced (role=alert); focus it so keyboard users start from the list of problems.
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const handleError = (result: MutationError) => {
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

  const failed = (err: unknown) => showErrors({ _form: (err as Error).message }, (err as Error).message);

  const save = async () => {
    if (!canEdit || busy) return;
    const local = { ...localErrors(form), ...unfilledPlaceholders(form) };
    if (Object.keys(local).length) return showErrors(local, 'Fix the marked fields.');
    setBusy('save');
    setFlashState(null);
    try {
      if (saved) {
        const { updateWebhook: result } = await gql(UPDATE_WEBHOOK, { id: saved.id, input: toInput(form) });
        if (result.__typename !== 'UpdateWebhookSuccess') return handleError(result);
        setSaved(result.webhook);
        setForm(formFromWebhook(result.webhook));
        setErrors({});
        setWarnings(errorsFromPaths(result.warnings));
        setSummary(null);
        setFlashState({
          kind: 'success',
          text: `Saved “${result.webhook.name}”.`,
          warnings: result.warnings,
        });
      } else {
        const { createWebhook: result } = await gql(CREATE_WEBHOOK, { input: toInput(form) });
        if (result.__typename !== 'CreateWebhookSuccess') return handleError(result);
        const created = { page: 'webhook', id: result.webhook.id } as const;
        setFlash(
          {
            kind: 'success',
            text: `Created “${result.webhook.name}”.`,
            signingSecret: result.signingSecret,
            warnings: result.warnings,
          },
          created,
        );
        navigate(created, true);
      }
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  };

  const runTest = async () => {
    if (!canEdit || busy) return;
    // A new test: the last one's verdict goes, whatever this one comes to (refused here or by the server).
    setTestResult(null);
    // A saved, unchanged webhook is tested as stored (with its secrets); anything else as the form stands.
    const asStored = saved !== null && !dirty;
    const local = {
      ...localErrors(form),
      ...(asStored ? {} : { ...keptSecrets(form), ...unfilledPlaceholders(form) }),
    };
    if (Object.keys(local).length) return showErrors(local, 'Fix the marked fields to run the test.');
    setBusy('test');
    try {
      const { testWebhook: result } = await gql(TEST_WEBHOOK, {
        ...(asStored ? { id: saved.id } : { input: toInput(form) }),
        trigger: testTrigger || null,
      });
      if (result.__typename !== 'TestWebhookSuccess') return handleError(result);
      setErrors({});
      setSummary(null);
      setTestResult({ ...result, triggerMatched: form.triggers.includes(result.invocation.trigger) });
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  };

  /**
   * What a preview runs: the saved webhook while the form is unchanged, else the form as it stands
   * (without its secrets: nothing is sent); null, with the fields marked, when it cannot be sent.
   */
  const previewTarget = (): { id: string } | { input: CreateWebhookInput } | null => {
    const local = localErrors(form);
    if (Object.keys(local).length) {
      setErrors(local);
      return null;
    }
    return saved !== null && !dirty ? { id: saved.id } : { input: previewInput(form) };
  };

  /** Starts a new webhook from a preset: the whole form is replaced, and what was shown of the last one goes. */
  const applyPreset = (preset: Preset) => {
    if (saved || !canEdit) return;
    setForm(formFromPreset(preset));
    setErrors({});
    setWarnings({});
    setSummary(null);
    setTestResult(null);
  };

  const remove = async () => {
    if (!saved || !canEdit || busy) return;
    const confirmed = await ask({
      title: 'Delete this webhook?',
      message: `“${saved.name}” is deleted, and its invocation log goes with it. This cannot be undone.`,
      confirmLabel: 'Delete webhook',
      cancelLabel: 'Keep it',
      danger: true,
    });
    if (!confirmed) return;
    setBusy('delete');
    try {
      const { deleteWebhook: result } = await gql(DELETE_WEBHOOK, { id: saved.id });
      if (result.__typename !== 'DeleteWebhookSuccess') return handleError(result);
      setFlash({ kind: 'success', text: `Deleted “${saved.name}”.` }, { page: 'webhooks' });
      navigate({ page: 'webhooks' });
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  };

  return {
    /** The webhook as stored (null: a new one, or not loaded yet). */
    saved,
    loadError,
    form,
    /** Whether the form differs from what is stored (a new form: from the empty one). */
    dirty,
    errors,
    /** What the last save saved but warned about, by field (e.g. `filters.accessFlowIds.0`). */
    warnings,
    /** Marks fields with the errors of something else than a save (a preview). */
    setErrors,
    summary,
    summaryRef,
    flash,
    busy,
    testTrigger,
    setTestTrigger,
    testResult,
    update,
    save,
    runTest,
    previewTarget,
    applyPreset,
    remove,
    /** The open question (leave without saving? delete?), if any: rendered by the page. */
    dialog,
  };
}
