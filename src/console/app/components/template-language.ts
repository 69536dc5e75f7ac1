import type { CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { HighlightStyle } from '@codemirror/language';
import { type EditorState, type Extension, RangeSet } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  EditorView,
  GutterMarker,
  gutterLineClass,
  MatchDecorator,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { SchemaField } from '../payload-schema.js';

/**
 * What CodeMirror needs to edit a body template, JSON with Liquid in it: the JSON colours, the Liquid
 * outputs `{{ … }}` and tags `{% … %}` marked over them, the line a template error names, and event
 * paths completed inside Liquid. The colours are classes styled by the console's stylesheet.
 */

export const jsonHighlight = HighlightStyle.define([
  { tag: tags.propertyName, class: 'tok-property' },
  { tag: tags.string, class: 'tok-string' },
  { tag: tags.number, class: 'tok-number' },
  { tag: [tags.bool, tags.null], class: 'tok-literal' },
  { tag: tags.invalid, class: 'tok-invalid' },
]);

const liquidMarks = new MatchDecorator({
  regexp: /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g,
  decoration: (match) =>
    match[0].startsWith('{{')
      ? Decoration.mark({ class: 'cm-liquid cm-liquid-output' })
      : Decoration.mark({ class: 'cm-liquid cm-liquid-tag' }),
});

/** Liquid outputs and tags as one mark each, around the JSON colours (outer decorations). */
export const liquidHighlight: Extension = ViewPlugin.fromClass(
  class {
    marks: DecorationSet;
    constructor(view: EditorView) {
      this.marks = liquidMarks.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.marks = liquidMarks.updateDeco(update, this.marks);
    }
  },
  {
    provide: (plugin) =>
      EditorView.outerDecorations.of((view) => view.plugin(plugin)?.marks ?? Decoration.none),
  },
);

const errorGutterMarker = new (class extends GutterMarker {
  override elementClass = 'error-line';
})();
const errorLineMark = Decoration.line({ class: 'cm-error-line' });

/** Marks a 1-based line (its number in the gutter and its text), if the document has it. */
export function errorLineHighlight(line: number | null): Extension {
  if (line === null) return [];
  const start = (state: EditorState) =>
    line >= 1 && line <= state.doc.lines ? state.doc.line(line).from : null;
  return [
    gutterLineClass.compute(['doc'], (state) => {
      const from = start(state);
      return from === null ? RangeSet.empty : RangeSet.of([errorGutterMarker.range(from)]);
    }),
    EditorView.decorations.compute(['doc'], (state) => {
      const from = start(state);
      return from === null ? Decoration.none : Decoration.set([errorLineMark.range(from)]);
    }),
  ];
}

/** The path being typed just before the cursor, where an event path may stand in Liquid. */
function pathBefore(context: CompletionContext): { path: string; from: number } | null {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const path = /[\w.[\]]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - path.length);
  const open = Math.max(head.lastIndexOf('{{'), head.lastIndexOf('{%'));
  if (open < 0 || /\}\}|%\}/.test(head.slice(open))) return null;
  const inTag = head.startsWith('{%', open);
  // A tag's own name (`{% if`), or a filter's (`| json`), is not a path.
  if (inTag && /^\{%-?\s*$/.test(head.slice(open))) return null;
  if (/\|\s*$/.test(head)) return null;
  // Nothing typed yet: offered unasked only where a path is expected (`{{ `, `{% if `, `== `).
  const expected = /(\{\{-?|\b(if|elsif|unless|case|when|in|and|or|contains)|[=<>,:])\s*$/;
  if (path === '' && !context.explicit && !expected.test(head)) return null;
  return { path, from: context.pos - path.length };
}

/**
 * Completes event paths one segment at a time: after `{{ ` the top-level fields, after `data.` the
 * fields of `data`, after `data.access_groups[0].` those of an access group.
 */
export function eventPathCompletion(fields: () => Promise<SchemaField[]>): CompletionSource {
  return async (context): Promise<CompletionResult | null> => {
    const at = pathBefore(context);
    if (!at) return null;
    const cut = at.path.lastIndexOf('.') + 1;
    const parent = at.path.slice(0, cut);
    let known: SchemaField[];
    try {
      known = await fields();
    } catch {
      return null;
    }
    const options = known
      .filter((f) => f.path.startsWith(parent) && /^\w+$/.test(f.path.slice(parent.length)))
      .map((f) => ({
        label: f.path.slice(parent.length),
        detail: f.type,
        info: f.description,
        type: 'property',
      }));
    if (options.length === 0) return null;
    return { from: at.from + cut, options, validFor: /^\w*$/ };
  };
}
