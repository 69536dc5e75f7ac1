import { gql } from './api.js';
import { PAYLOAD_SCHEMA } from './queries.js';

/**
 * The event's payload schema (the API's eventPayloadSchema, a JSON Schema document) as the console
 * reads it: loaded once per page, walked by the payload panel (a tree) and by the template editor
 * (the paths it completes).
 */

export type Schema = {
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

export function loadSchema(): Promise<Schema> {
  // JSON in the API's types: the shape of a JSON Schema document is the console's own reading of it.
  schemaCache ??= gql(PAYLOAD_SCHEMA, {}).then((d) => d.eventPayloadSchema as Schema);
  schemaCache.catch(() => {
    schemaCache = null;
  });
  return schemaCache;
}

/** Liquid path of a child: `data.requester`, `data.access_groups[0]`, `data["odd key"]`. */
export function childPath(parent: string, key: string | number): string {
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
export function shape(input: Schema, root: Schema): { label: string; node: Schema } {
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

/** The fields under a schema node, each with its Liquid path: an array's are its first item's. */
export function children(node: Schema, path: string, root: Schema): [string, Schema, string][] {
  if (node.properties) {
    return Object.entries(node.properties).map(([key, child]) => [key, child, childPath(path, key)]);
  }
  if (node.type === 'array' && node.items) {
    const items = shape(node.items, root).node;
    return Object.entries(items.properties ?? {}).map(([key, child]) => [
      key,
      child,
      childPath(childPath(path, 0), key),
    ]);
  }
  return [];
}

export interface SchemaField {
  /** `data.requester.email`, `data.access_groups[0].name` */
  path: string;
  /** "string", "string or null", "array of object" */
  type: string;
  description?: string;
}

/** Every field of the payload, depth first (a self-referencing schema stops at depth 8). */
export function schemaFields(root: Schema): SchemaField[] {
  const fields: SchemaField[] = [];
  const walk = (node: Schema, path: string, depth: number) => {
    for (const [, child, childPathText] of children(node, path, root)) {
      const { label, node: inner } = shape(child, root);
      fields.push({ path: childPathText, type: label, description: inner.description });
      if (depth < 8) walk(inner, childPathText, depth + 1);
    }
  };
  walk(shape(root, root).node, '', 0);
  return fields;
}
