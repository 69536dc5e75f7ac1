import { JSONPath } from 'jsonpath-plus';

/**
 * Response-validator paths: `$.data` then segments (`.name`, `..name`, `.*`, `[0]`, `[*]`,
 * `['name']`, see JSON_PATH_PATTERN in webhook.ts), evaluated on `{ data: body }` for their FIRST
 * match only (a validator compares one value).
 *
 * Why our own evaluator instead of calling jsonpath-plus: jsonpath-plus has no hook per node it
 * visits (its `callback` fires per match), and it builds every match, with its path, before we take
 * the first one. `$.data..*..*` on a deeply nested answer is quadratic in the number of nodes and
 * never returned within the 100 s we waited. Here the path is split into tokens by jsonpath-plus
 * itself (JSONPath.toPathArray, so parsing quirks stay its own), then walked depth first in exactly
 * jsonpath-plus's order with an explicit stack (no recursion, so no stack overflow on deep input),
 * counting every node it touches against a budget and stopping at the first match. A node budget
 * rather than only a time budget: the verdict then depends on the answer, not on how busy the machine
 * is. The sandbox's time budget stays as the outer bound. test/sandbox/json-path.test.ts checks the
 * first match against jsonpath-plus's on generated documents and paths.
 */

/** Recursive descents (`..`) one path may use; saving a path with more is a field error. */
export const MAX_PATH_DESCENTS = 2;

export interface CompiledPath {
  path: string;
  /** jsonpath-plus's tokens, the leading `$` dropped as its evaluate() does. */
  tokens: readonly string[];
  descents: number;
  /**
   * False when a token has a meaning this evaluator does not implement (unions `a,b`, slices `1:3`,
   * `^`, `~`, `@type()`, backtick literals, scripts): reachable only through a quoted name, refused at
   * save, evaluated by jsonpath-plus itself for a path stored before that rule.
   */
  evaluable: boolean;
}

const SLICE = /^(-?\d*):(-?\d*):?(\d*)$/;

function special(token: string): boolean {
  return (
    token === '^' ||
    token === '~' ||
    token.includes(',') ||
    SLICE.test(token) ||
    token.startsWith('?(') ||
    token.startsWith('(') ||
    token.startsWith('@') ||
    token.startsWith('`')
  );
}

export function compileJsonPath(path: string): CompiledPath {
  const tokens = JSONPath.toPathArray(path) as string[];
  if (tokens[0] === '$' && tokens.length > 1) tokens.shift();
  return {
    path,
    tokens,
    descents: tokens.filter((t) => t === '..').length,
    evaluable: tokens.every((t) => typeof t === 'string' && !special(t)),
  };
}

/** Nodes a path evaluation may still visit, shared by the validators of one response. */
export interface NodeBudget {
  left: number;
}

export type FirstMatch = { found: true; value: unknown } | { found: false } | { overBudget: true };

const OVER: FirstMatch = { overBudget: true };
const NONE: FirstMatch = { found: false };
const has = (value: unknown, key: string | number): boolean =>
  Boolean(value) && Object.hasOwn(value as object, key);

/**
 * The first value jsonpath-plus would return for these tokens (its _trace, restricted to names, `*`,
 * `..` and `$`), or overBudget once `budget.left` nodes have been visited. A node is visited when it
 * is put on the stack, and each child a `..` looks at counts too.
 */
export function firstMatch(path: CompiledPath, root: unknown, budget: NodeBudget): FirstMatch {
  const { tokens } = path;
  const n = tokens.length;
  // One frame per parallel entry: token index, value, jsonpath-plus's "literalPriority" flag (after
  // a name or `*`, a token that is also an own key of the value is taken literally first).
  const at: number[] = [];
  const values: unknown[] = [];
  const literal: boolean[] = [];
  const push = (i: number, value: unknown, lp: boolean): boolean => {
    if (--budget.left < 0) return false;
    at.push(i);
    values.push(value);
    literal.push(lp);
    return true;
  };
  if (!push(0, root, false)) return OVER;
  while (at.length > 0) {
    const i = at.pop() as number;
    const value = values.pop();
    const lp = literal.pop() as boolean;
    if (i === n) return { found: true, value };
    const token = tokens[i] as string;
    if (lp && has(value, token)) {
      if (!push(i + 1, (value as Record<string, unknown>)[token], false)) return OVER;
    } else if (token === '*') {
      const keys = childKeys(value);
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k] as string | number;
        if (!push(i + 1, (value as Record<string | number, unknown>)[key], true)) return OVER;
      }
    } else if (token === '..') {
      // jsonpath-plus: the rest of the path on this value first, then `..` again on each child object.
      const keys = childKeys(value);
      budget.left -= keys.length;
      if (budget.left < 0) return OVER;
      for (let k = keys.length - 1; k >= 0; k--) {
        const child = (value as Record<string | number, unknown>)[keys[k] as string | number];
        if (typeof child === 'object' && !push(i, child, false)) return OVER;
      }
      if (!push(i + 1, value, false)) return OVER;
    } else if (token === '$') {
      if (!push(i + 1, value, false)) return OVER;
    } else if (!lp && has(value, token)) {
      if (!push(i + 1, (value as Record<string, unknown>)[token], true)) return OVER;
    }
  }
  return NONE;
}

function childKeys(value: unknown): readonly (string | number)[] {
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => i);
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}

/** A path the evaluator does not implement (stored before save refused it): jsonpath-plus's first match. */
export function firstMatchByJsonPathPlus(path: string, root: unknown): FirstMatch {
  const matches = JSONPath({ path, json: root as object, eval: false, wrap: true }) as unknown[];
  return Array.isArray(matches) && matches.length > 0 ? { found: true, value: matches[0] } : NONE;
}
