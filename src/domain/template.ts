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
/** The render budget when the caller names none (the sandbox passes RENDER_TIMEOUT). */
export const DEFAULT_RENDER_BUDGET_MS = 250;
/** liquidjs's own allocation count (characters of strings, items of arrays): a first line inside the render. */
const MEMORY_LIMIT = 8 * 1024 * 1024;
export const MAX_TEMPLATE_LENGTH = 64 * 1024;
export const MAX_RENDERED_BODY_BYTES = 1024 * 1024;

/**
 * The budgets of one render, as enforced inside the thread that runs it: liquidjs's renderLimit
 * (wall-clock, checked between template nodes) and the output cap. The sandbox pool enforces the
 * same time budget, and a memory budget, from outside (src/sandbox/pool.ts): a single filter call
 * that runs long, or a heap that grows past its limit, ends with the worker thread.
 */
export interface RenderLimits {
  /** Wall-clock budget of the render (for checkTemplate: of all the renders together). */
  budgetMs?: number;
  maxBodyBytes?: number;
}

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
  renderLimit: DEFAULT_RENDER_BUDGET_MS,
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
 * Pure and synchronous at heart: the sandbox's worker threads call it (src/sandbox/worker.ts), and
 * everything else reaches it through the UntrustedWork port, never on the event loop.
 */
export async function renderBody(source: string, scope: object, limits: RenderLimits = {}): Promise<string> {
  return renderBodySync(source, scope, limits);
}

/** renderBody, synchronously (what the worker thread runs). */
export function renderBodySync(source: string, scope: object, limits: RenderLimits = {}): string {
  const budgetMs = limits.budgetMs ?? DEFAULT_RENDER_BUDGET_MS;
  return renderWithin(source, scope, budgetMs, budgetMs, limits.maxBodyBytes ?? MAX_RENDERED_BODY_BYTES);
}

function renderWithin(
  source: string,
  scope: object,
  remainingMs: number,
  budgetMs: number,
  maxBodyBytes: number,
): string {
  if (source.trim() === '') return '';
  const parsed = parseTemplate(source);
  if (remainingMs <= 0) throw renderBudgetError(budgetMs);
  let body: string;
  try {
    // Synchronously: liquidjs measures renderLimit in wall-clock time, and an async render under
    // load (hundreds of deliveries at once) would be charged for the time it spent waiting.
    body = engine.renderSync(parsed, scope, { renderLimit: remainingMs });
  } catch (err) {
    const message = liquidMessage(err);
    if (message.startsWith('template render limit exceeded'))
      throw renderBudgetError(budgetMs, liquidLine(err));
    if (message.startsWith('memory alloc limit exceeded')) {
      throw new TemplateError(
        `the template ran past its memory budget (liquid's limit of ${MEMORY_LIMIT} characters or list items)`,
        liquidLine(err),
      );
    }
    throw new TemplateError(`template failed to render: ${message}`, liquidLine(err));
  }
  // Characters first: a string of more characters than the cap has more bytes too, and is not encoded.
  if (body.length > maxBodyBytes || Buffer.byteLength(body) > maxBodyBytes)
    throw bodyTooLargeError(maxBodyBytes);
  assertJson(body);
  return body;
}

export function renderBudgetError(budgetMs: number, line?: number): TemplateError {
  return new TemplateError(`the template ran past its ${budgetMs} ms render budget`, line);
}

export function bodyTooLargeError(maxBodyBytes: number): TemplateError {
  return new TemplateError(`the rendered body is larger than ${formatBytes(maxBodyBytes)}`);
}

/** 1048576 → "1 MiB", 65536 → "64 KiB", anything else in bytes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** What is wrong with a template, found by rendering it against sample scopes: which one, and why. */
export interface TemplateProblem {
  /** Index of the scope being rendered when the problem showed. */
  index: number;
  message: string;
  line?: number;
}

/**
 * Renders a template against several scopes (the sample event of every trigger) under ONE budget
 * for all of them: the first problem, or null. What saving a template runs, as one sandbox task.
 */
export function checkTemplateSync(
  source: string,
  scopes: readonly object[],
  limits: RenderLimits = {},
  /** Told which scope is about to render (the sandbox worker shares it with its watchdog). */
  onScope?: (index: number) => void,
): TemplateProblem | null {
  const budgetMs = limits.budgetMs ?? DEFAULT_RENDER_BUDGET_MS;
  const maxBodyBytes = limits.maxBodyBytes ?? MAX_RENDERED_BODY_BYTES;
  const started = performance.now();
  for (let index = 0; index < scopes.length; index++) {
    onScope?.(index);
    try {
      const remaining = budgetMs - (performance.now() - started);
      renderWithin(source, scopes[index] as object, remaining, budgetMs, maxBodyBytes);
    } catch (err) {
      if (err instanceof TemplateError) return { index, message: err.message, line: err.line };
      throw err;
    }
  }
  return null;
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
