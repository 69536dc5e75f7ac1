import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { TRIGGERS, triggerLabel } from '../enums.js';
import type { WebhookTrigger } from '../gql/graphql.js';
import { PAYLOAD_SCHEMA, SAMPLE_EVENT } from '../queries.js';

/**
 * "View event's payload schema": the event's JSON Schema as a tree, and the sample event of a trigger,
 * both from the API (eventPayloadSchema, sampleEvent). Clicking a field inserts `{{ path }}` into the
 * body template at the cursor; objects and arrays insert `{{ path | json }}`.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  description?: string;
  $ref?: string;
  $defs?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
};

let schemaCache: Promise<Schema> | null = null;
const sampleCache = new Map<WebhookTrigger, Promise<unknown>>();

function loadSchema() {
  // JSON in the API's types: the shape of a JSON Schema document is the panel's own reading of it.
  schemaCache ??= gql(PAYLOAD_SCHEMA, {}).then((d) => d.eventPayloadSchema as Schema);
  schemaCache.catch(() => {
    schemaCache = null;
  });
  return schemaCache;
}

function loadSample(trigger: WebhookTrigger) {
  let cached = sampleCache.get(trigger);
  if (!cached) {
    cached = gql(SAMPLE_EVENT, { trigger }).then((d) => d.sampleEvent);
    cached.catch(() => sampleCache.delete(trigger));
    sampleCache.set(trigger, cached);
  }
  return cached;
}

/** Liquid path of a child: `data.requester`, `data.access_groups[0]`, `data["odd key"]`. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function resolveRef(schema: Schema, root: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  return root.$defs?.[name] ?? root.definitions?.[name] ?? schema;
}

/** The type to show and the branch to descend into (anyOf [X, null] is "X or null"). */
function shape(input: Schema, root: Schema): { label: string; node: Schema } {
  const schema = resolveRef(input, root);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const resolved = branches.map((b) => resolveRef(b, root));
    const main = resolved.find((b) => b.type !== 'null') ?? resolved[0] ?? {};
    const labels = resolved.map((b) => shape(b, root).label);
    return {
      label: [...new Set(labels)].join(' or '),
      node: { ...main, description: schema.description ?? main.description },
    };
  }
  let label = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
  if (schema.enum) label = `${label}: ${schema.enum.map((v) => JSON.stringify(v)).join(' | ')}`;
  if (schema.type === 'array' && schema.items) label = `array of ${shape(schema.items, root).label}`;
  return { label, node: schema };
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
  const children: [string, Schema, string][] = [];
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties))
      children.push([key, child, childPath(props.path, key)]);
  } else if (node.type === 'array' && node.items) {
    const items = shape(node.items, props.root).node;
    for (const [key, child] of Object.entries(items.properties ?? {})) {
      children.push([key, child, childPath(childPath(props.path, 0), key)]);
    }
  }
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
              aria-label={`Insert {{ ${props.path} | json }}`}
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
    <aside class="panel payload-panel" id={props.id} aria-labelledby={`${props.id}-title`}>
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
