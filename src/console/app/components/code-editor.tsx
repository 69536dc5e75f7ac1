import { autocompletion, type CompletionSource, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { syntaxHighlighting } from '@codemirror/language';
import { Annotation, Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { describedBy } from './field.js';
import { errorLineHighlight, jsonHighlight, liquidHighlight } from './template-language.js';

/** What the page may do with the editor: insert at the cursor (the payload panel), focus it. */
export interface CodeEditorHandle {
  /** Replaces the selection with text, puts the cursor after it and the focus in the editor. */
  insert(text: string): void;
  focus(): void;
}

/** A change the page made (a loaded webhook): not the user's typing, so not reported back. */
const fromPage = Annotation.define<boolean>();

/**
 * The body template's editor: CodeMirror 6 with JSON colours, Liquid outputs and tags marked, line
 * numbers, the line a template error names marked in the gutter and the text, and event paths
 * completed inside Liquid (Ctrl+Space asks). Its content element carries the field's id, is labelled
 * by the field's label and described by its hint and error, like any other input of the form.
 * Tab is left to the browser (CodeMirror's indentWithTab is not bound): it moves to the next field,
 * so the editor never traps keyboard users; Escape closes the completion list.
 *
 * CodeMirror injects its base theme as a <style> element: the page's CSP allows it by the nonce the
 * server put on `<meta name="csp-nonce">` (EditorView.cspNonce).
 */
export function CodeEditor(props: {
  field: string;
  /** The id of the element naming the field (its <label>). */
  labelId: string;
  value: string;
  onInput: (value: string) => void;
  error: string | undefined;
  errorLine: number | null;
  editorRef: RefObject<CodeEditorHandle | null>;
  completions?: CompletionSource;
  readOnly?: boolean;
  hint?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const dynamic = useRef({ attrs: new Compartment(), error: new Compartment(), readOnly: new Compartment() });

  // What follows the props: the content element's attributes, the error line, read-only.
  const dynamicParts = () => {
    const p = latest.current;
    const { id, ...aria } = describedBy(p.field, p.error, p.hint);
    // tabindex 0: the content is in the tab order anyway (contenteditable), but said so, axe-core (and
    // the scroller around it, which scrolls when the template is long or wide) sees it can be reached.
    const attrs: Record<string, string> = {
      id,
      'aria-labelledby': p.labelId,
      spellcheck: 'false',
      tabindex: '0',
    };
    if (aria['aria-invalid']) attrs['aria-invalid'] = aria['aria-invalid'];
    if (aria['aria-describedby']) attrs['aria-describedby'] = aria['aria-describedby'];
    return {
      attrs: EditorView.contentAttributes.of(attrs),
      error: errorLineHighlight(p.errorLine),
      readOnly: EditorState.readOnly.of(p.readOnly === true),
    };
  };

  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.nonce ?? '';
    const parts = dynamicParts();
    const d = dynamic.current;
    const editor = new EditorView({
      parent,
      state: EditorState.create({
        doc: props.value,
        // The cursor starts at the end, as in a textarea whose value was set.
        selection: { anchor: props.value.length },
        extensions: [
          EditorView.cspNonce.of(nonce),
          lineNumbers(),
          history(),
          json(),
          syntaxHighlighting(jsonHighlight),
          liquidHighlight,
          autocompletion({
            override: props.completions ? [props.completions] : [],
            icons: false,
          }),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            if (update.transactions.every((tr) => tr.annotation(fromPage))) return;
            latest.current.onInput(update.state.doc.toString());
          }),
          d.attrs.of(parts.attrs),
          d.error.of(parts.error),
          d.readOnly.of(parts.readOnly),
        ],
      }),
    });
    view.current = editor;
    props.editorRef.current = {
      insert(text) {
        const { from, to } = editor.state.selection.main;
        editor.dispatch({
          changes: { from, to, insert: text },
          selection: { anchor: from + text.length },
          scrollIntoView: true,
          userEvent: 'input',
        });
        editor.focus();
      },
      focus: () => editor.focus(),
    };
    return () => {
      editor.destroy();
      view.current = null;
      props.editorRef.current = null;
    };
    // Created once; later props reach it through the effects below and `latest`.
  }, []);

  // A value the page set (a webhook loaded, the form reset) replaces the text. Checked as the page
  // renders (a layout effect), not after a paint: by then more typing may have changed the text, and a
  // value one keystroke old would overwrite it.
  useLayoutEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current === props.value) return;
    editor.dispatch({
      changes: { from: 0, to: current.length, insert: props.value },
      selection: { anchor: props.value.length },
      annotations: fromPage.of(true),
    });
  }, [props.value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const parts = dynamicParts();
    const d = dynamic.current;
    editor.dispatch({
      effects: [
        d.attrs.reconfigure(parts.attrs),
        d.error.reconfigure(parts.error),
        d.readOnly.reconfigure(parts.readOnly),
      ],
    });
  }, [props.field, props.labelId, props.error, props.errorLine, props.readOnly, props.hint]);

  return <div class={`code-editor ${props.error ? 'has-error' : ''}`} ref={host} />;
}
