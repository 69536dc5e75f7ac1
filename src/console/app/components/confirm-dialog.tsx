import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * A question with two answers, in a native modal <dialog>: the rest of the page is inert while it is
 * open and Tab goes round its buttons (the focus stays inside it), focus starts on the safe answer,
 * Escape is the safe answer too, and on closing the focus goes back to where it was before it opened.
 * `onAnswer(true)`: the user confirmed.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  /** The confirming answer destroys something (styled as danger). */
  danger?: boolean;
  onAnswer: (confirmed: boolean) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const el = dialog.current;
    el?.showModal();
    cancel.current?.focus();
    return () => {
      if (el?.open) el.close();
      // The opener may be gone (the page was left); then the page's own focus handling applies.
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);

  const answer = (confirmed: boolean) => {
    if (answered.current) return;
    answered.current = true;
    props.onAnswer(confirmed);
  };

  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
      onKeyDown={(e) => {
        // Tab and Shift+Tab go round the dialog's buttons: the focus never leaves it while it is open.
        if (e.key !== 'Tab') return;
        const buttons = [...e.currentTarget.querySelectorAll('button')];
        const first = buttons[0];
        const last = buttons[buttons.length - 1];
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first?.focus();
        }
      }}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <div id="confirm-message">{props.children}</div>
      <div class="confirm-actions">
        <button type="button" class="secondary" ref={cancel} onClick={() => answer(false)}>
          {props.cancelLabel}
        </button>
        <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={() => answer(true)}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** What a ConfirmDialog asks. */
export interface Question {
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
}

/**
 * A ConfirmDialog asked from code: `ask(question)` opens it and resolves with the answer (asking
 * again while it is open gets the same answer); render `dialog` where it belongs.
 */
export function useConfirm(): { ask: (q: Question) => Promise<boolean>; dialog: ComponentChildren } {
  const [open, setOpen] = useState<{ question: Question } | null>(null);
  const resolver = useRef<((confirmed: boolean) => void) | null>(null);
  const pending = useRef<Promise<boolean> | null>(null);

  const ask = useCallback((question: Question) => {
    if (pending.current) return pending.current;
    const answer = new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
    pending.current = answer;
    setOpen({ question });
    return answer;
  }, []);

  const dialog = open && (
    <ConfirmDialog
      title={open.question.title}
      confirmLabel={open.question.confirmLabel}
      cancelLabel={open.question.cancelLabel}
      danger={open.question.danger}
      onAnswer={(confirmed) => {
        pending.current = null;
        setOpen(null);
        resolver.current?.(confirmed);
      }}
    >
      {open.question.message}
    </ConfirmDialog>
  );
  return { ask, dialog };
}
