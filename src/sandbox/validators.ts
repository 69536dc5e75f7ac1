import type { ValidatorResult } from '../domain/invocation.js';
import {
  type CompiledPath,
  compileJsonPath,
  type FirstMatch,
  firstMatch,
  firstMatchByJsonPathPlus,
  type NodeBudget,
} from '../domain/json-path.js';
import type { ValidationOutcome } from '../domain/untrusted-work.js';

/**
 * Response validators: the body is parsed as JSON and wrapped as `{ data: body }`, so every path
 * starts with `$.data.`. A validator passes when the value at its path (its first match), as text
 * (numbers and booleans by their JSON text), equals any expected value; all validators must pass.
 * No scripts. Run inside a sandbox worker thread (src/sandbox/worker.ts), with the validators of one
 * response sharing one budget of nodes visited (domain/json-path.ts says why nodes, not only time).
 */
export function runValidators(
  validators: readonly { jsonPath: string; expectedValues: string[] }[],
  body: Uint8Array,
  bodyComplete: boolean,
  limits: { maxNodes: number },
): ValidationOutcome {
  if (validators.length === 0) return { results: [], passed: true, problem: null, overBudget: false };
  let data: unknown;
  let problem: string | null = null;
  if (!bodyComplete) problem = 'the response body is too large to validate';
  else {
    try {
      data = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    } catch {
      problem = 'the response body is not JSON';
    }
  }
  const budget: NodeBudget = { left: limits.maxNodes };
  let overBudget = false;
  const results = validators.map((v): ValidatorResult => {
    let actualValue: string | null = null;
    if (!problem) {
      const match = valueAt(compiled(v.jsonPath), data, budget);
      if ('overBudget' in match) {
        overBudget = true;
        problem = `the JSON path ${v.jsonPath} visited more than ${limits.maxNodes} nodes`;
      } else if (match.found) actualValue = asText(match.value);
    }
    return {
      jsonPath: v.jsonPath,
      expectedValues: v.expectedValues,
      actualValue,
      passed: actualValue !== null && v.expectedValues.includes(actualValue),
    };
  });
  const failed = results.find((r) => !r.passed);
  if (!problem && failed) {
    problem =
      failed.actualValue === null
        ? `${failed.jsonPath} is missing from the response`
        : `${failed.jsonPath} is ${JSON.stringify(failed.actualValue)}, expected ${failed.expectedValues
            .map((e) => JSON.stringify(e))
            .join(' or ')}`;
  }
  return { results, passed: !failed && !problem, problem, overBudget };
}

function valueAt(path: CompiledPath | null, data: unknown, budget: NodeBudget): FirstMatch {
  if (!path) return { found: false };
  try {
    return path.evaluable
      ? firstMatch(path, { data }, budget)
      : firstMatchByJsonPathPlus(path.path, { data });
  } catch {
    return { found: false };
  }
}

function asText(value: unknown): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? null);
}

// Compiled paths, per worker thread, by path text; least recently used out first.
const CACHE_LIMIT = 1_000;
const cache = new Map<string, CompiledPath | null>();

function compiled(path: string): CompiledPath | null {
  const hit = cache.get(path);
  if (hit !== undefined) {
    cache.delete(path);
    cache.set(path, hit);
    return hit;
  }
  let result: CompiledPath | null;
  try {
    result = compileJsonPath(path);
  } catch {
    result = null;
  }
  cache.set(path, result);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return result;
}
