import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { TRIGGERS, triggerLabel } from '../enums.js';
import type { WebhookTrigger } from '../gql/graphql.js';
import { childPath, children as fieldsOf, loadSchema, type Schema, shape } from '../payload-schema.js';
import { SAMPLE_EVENT } from '../queries.js';

/**
 * "View event's payload schema": the event's JSON Schema as a tree, and the sample event of a trigger,
 * both from the API (eventPayloadSchema, sampleEvent). Clicking a field inserts `{{ path }}` into the
 * body template at the cursor (objects and arrays: `{{ path | json }}`), and the page puts the focus
 * back in the editor, so typing goes on there. Escape closes the panel, like its Close button.
 */

const sampleCache = new Map<WebhookTrigger, Promise<unknown>>();

function loadSample(trigger: WebhookTrigger) {
  let cached = sampleCache.get(trigger);
  if (!cached) {
    cached = gql(SAMPLE_EVENT, { trigger }).then((d) => d.sampleEvent);
    cached.catch(() => sampleCache.delete(trigger));
    sampleCache.set(trigger, cached);
  }
  return cached;
}

type OnInsert = ((text: string) => void) | undefined;

function InsertButton({ path, onInsert }: { path: string; onInsert: OnInsert }) {
  const text = `{{ ${path} }}`;
  const name = path.split(/[.[]/).pop()?.replace(/\]$/, '');
  if (!onInsert) return <span class="key">{name}</span>;
  return (
    <button
      type="button"
      class="insert"
      title={`Insert ${text}`}
      aria-label={`Insert ${text}`}
      onClick={() => onInsert(text)}
    >
      {name}
    </button>
  );
}

function SchemaNode(props: {
  name: string;
  path: string;
  schema: Schema;
  root: Schema;
  depth: number;
  onInsert: OnInsert;
}) {
  const { label, node } = shape(props.schema, props.root);
  const children = fieldsOf(node, props.path, props.root);
  const description = node.description ? <span class="description">{node.description}</span> : null;
  if (children.length === 0) {
    return (
      <li>
        <InsertButton path={props.path} onInsert={props.onInsert} /> <span class="type">{label}</span>{' '}
        {description}
      </li>
    );
  }
  return (
    <li>
      <details open={props.depth < 2}>
        <summary class="tree-toggle">
          <span class="key">{props.name}</span> <span class="type">{label}</span> {description}
        </summary>
        {props.onInsert && (
          <p class="insert-whole">
            <button
              type="button"
              class="link-button"
              aria-label={`Insert as JSON: {{ ${props.path} | json }}`}
              onClick={() => props.onInsert?.(`{{ ${props.path} | json }}`)}
            >
              Insert as JSON
            </button>
          </p>
        )}
        <ul>
          {children.map(([key, child, path]) => (
            <SchemaNode
              key={key}
              name={key}
              path={path}
              schema={child}
              root={props.root}
              depth={props.depth + 1}
              onInsert={props.onInsert}
            />
          ))}
        </ul>
      </details>
    </li>
  );
}

function ValueNode(props: { name: string; path: string; value: unknown; depth: number; onInsert: OnInsert }) {
  const { value } = props;
  if (value !== null && typeof value === 'object') {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value as Record<string, unknown>);
    return (
      <li>
        <details open={props.depth < 2}>
          <summary class="tree-toggle">
            <span class="key">{props.name}</span>{' '}
            <span class="type">{Array.isArray(value) ? `[${value.length}]` : '{…}'}</span>
          </summary>
          <ul>
            {entries.map(([key, child]) => (
              <ValueNode
                key={String(key)}
                name={typeof key === 'number' ? `[${key}]` : key}
                path={childPath(props.path, key)}
                value={child}
                depth={props.depth + 1}
                onInsert={props.onInsert}
              />
            ))}
          </ul>
        </details>
      </li>
    );
  }
  return (
    <li>
      <InsertButton path={props.path} onInsert={props.onInsert} />{' '}
      <code class="value">{JSON.stringify(value)}</code>
    </li>
  );
}

export function PayloadPanel(props: {
  id: string;
  triggers: WebhookTrigger[];
  onInsert?: (text: string) => void;
  onClose: () => void;
}) {
  const [schema, setSchema] = useState<Schema | null>(null);
  const [trigger, setTrigger] = useState<WebhookTrigger>(props.triggers[0] ?? 'REQUEST_CREATED');
  const [sample, setSample] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  // Opened: focus moves to the panel (below the form on a narrow screen, beside it on a wide one).
  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    loadSchema().then(setSchema, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    setSample(null);
    loadSample(trigger).then(setSample, (e: Error) => setError(e.message));
  }, [trigger]);

  const onInsert: OnInsert = props.onInsert
    ? (text) => {
        props.onInsert?.(text);
        setAnnouncement(`Inserted ${text} into the body template`);
      }
    : undefined;

  return (
    <aside
      class="panel payload-panel"
      id={props.id}
      aria-labelledby={`${props.id}-title`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        props.onClose();
      }}
    >
      <div class="panel-head">
        <h2 class="panel-title" id={`${props.id}-title`} tabIndex={-1} ref={heading}>
          Event payload
        </h2>
        <button type="button" class="secondary small" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p class="hint">
        {props.onInsert
          ? 'Click a field to insert its path into the body template at the cursor.'
          : 'The fields that body templates and filters see.'}
      </p>
      <p class="sr-only" aria-live="polite">
        {announcement}
      </p>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby={`${props.id}-schema`}>
        <h3 id={`${props.id}-schema`}>JSON Schema</h3>
        {schema ? (
          <ul class="tree">
            {Object.entries(shape(schema, schema).node.properties ?? {}).map(([key, child]) => (
              <SchemaNode
                key={key}
                name={key}
                path={key}
                schema={child}
                root={schema}
                depth={0}
                onInsert={onInsert}
              />
            ))}
          </ul>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
      <section aria-labelledby={`${props.id}-sample`}>
        <h3 id={`${props.id}-sample`}>Sample event</h3>
        <div class="field">
          <label for={`${props.id}-trigger`}>Sample event for</label>
          <select
            id={`${props.id}-trigger`}
            value={trigger}
            onChange={(e) => setTrigger(e.currentTarget.value as WebhookTrigger)}
          >
            {TRIGGERS.map((t) => (
              <option key={t} value={t}>
                {triggerLabel(t)}
              </option>
            ))}
          </select>
        </div>
        {sample !== null && typeof sample === 'object' ? (
          <ul class="tree">
            {Object.entries(sample as Record<string, unknown>).map(([key, value]) => (
              <ValueNode key={key} name={key} path={key} value={value} depth={0} onInsert={onInsert} />
            ))}
          </ul>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </section>
    </aside>
  );
}
