import { Liquid, type Template } from 'liquidjs';
import { jsonErrorOffset } from './json-position.js';

/**
 * Body templates: Liquid, with the Handlebars habits of the platform's guides accepted, and every
 * interpolated value JSON-string-escaped so that a quote or newline in event data never breaks the body.
 */

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const PARSE_LIMIT = 256 * 1024; // characters of template
const RENDER_LIMIT_MS = 1_000;
const MEMORY_LIMIT = 8 * 1024 * 1024;
export const MAX_TEMPLATE_LENGTH = 64 * 1024;
export const MAX_RENDERED_BODY_BYTES = 1024 * 1024;

/** JSON-string-escape one output value; objects and arrays are stringified as JSON first. */
function jsonStringEscape(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null || value === undefined) text = '';
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return JSON.stringify(text).slice(1, -1);
}

const engine = new Liquid({
  outputEscape: jsonStringEscape,
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: PARSE_LIMIT,
  renderLimit: RENDER_LIMIT_MS,
  memoryLimit: MEMORY_LIMIT,
  // No file system: include/render/layout tags cannot reach the disk.
  templates: {},
});

// `json` emits raw JSON (its output skips the string escape): "groups": {{ data.access_groups | json }}
engine.registerFilter('json', { handler: (value: unknown) => JSON.stringify(value ?? null), raw: true });

const OUTPUT_TAG = /\{\{-?([\s\S]*?)-?\}\}/g;
const SEGMENT_INDEX = /\.\[(\d+)\]/g;
const SEGMENT_NAME = /\.\[([^\]"'[]+)\]/g;
const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

/**
 * Rewrites Handlebars segment paths inside output tags to Liquid paths:
 * `data.access_groups.[0].[resource_types].[0].name` → `data.access_groups[0].resource_types[0].name`.
 */
export function rewriteHandlebarsPaths(template: string): string {
  return template.replace(OUTPUT_TAG, (tag) =>
    tag
      .replace(SEGMENT_INDEX, '[$1]')
      .replace(SEGMENT_NAME, (_m, name: string) =>
        IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`,
      ),
  );
}

const CACHE_LIMIT = 1_000;
const cache = new Map<string, Template[]>();

/** Parses a template, cached by its text (so by webhook version), least recently used out first. */
export function parseTemplate(source: string): Template[] {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new TemplateError(`template is longer than ${MAX_TEMPLATE_LENGTH} characters`);
  }
  let parsed: Template[];
  try {
    parsed = engine.parse(rewriteHandlebarsPaths(source));
  } catch (err) {
    throw new TemplateError(`template does not parse: ${liquidMessage(err)}`, liquidLine(err));
  }
  cache.set(source, parsed);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return parsed;
}

/**
 * Renders a body template against an event. The result is '' for an empty template (no body),
 * otherwise a string that parses as JSON; anything else is a TemplateError naming the line.
 */
export async function renderBody(source: string, scope: object): Promise<string> {
  if (source.trim() === '') return '';
  const parsed = parseTemplate(source);
  let body: string;
  try {
    // Synchronously: liquidjs measures renderLimit in wall-clock time, and an async render under
    // load (hundreds of deliveries at once) would be charged for the time it spent waiting.
    body = engine.renderSync(parsed, scope);
  } catch (err) {
    throw new TemplateError(`template failed to render: ${liquidMessage(err)}`, liquidLine(err));
  }
  if (Buffer.byteLength(body) > MAX_RENDERED_BODY_BYTES) {
    throw new TemplateError(`rendered body is larger than ${MAX_RENDERED_BODY_BYTES} bytes`);
  }
  assertJson(body);
  return body;
}

function assertJson(body: string): void {
  try {
    JSON.parse(body);
  } catch {
    const offset = Math.max(0, jsonErrorOffset(body));
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const lineText = (body.split('\n')[line - 1] ?? '').trim();
    const excerpt = lineText.length > 80 ? `${lineText.slice(0, 77)}...` : lineText;
    throw new TemplateError(
      `rendered body is not valid JSON at line ${line}, column ${column}: ${excerpt}`,
      line,
    );
  }
}

function liquidMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // liquidjs appends a multi-line source excerpt; the first line carries the message and position.
  return (err.message.split('\n')[0] ?? err.message).trim();
}

function liquidLine(err: unknown): number | undefined {
  const m = err instanceof Error ? /line:(\d+)/.exec(err.message) : null;
  return m ? Number(m[1]) : undefined;
}
