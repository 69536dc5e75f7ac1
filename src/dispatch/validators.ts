import { JSONPath } from 'jsonpath-plus';
import type { ValidatorResult } from '../domain/invocation.js';
import type { ResponseValidator } from '../domain/webhook.js';

/**
 * Response validators: the body is parsed as JSON and wrapped as `{ data: body }`, so every path
 * starts with `$.data.`. A validator passes when the value at its path, as text (numbers and booleans
 * by their JSON text), equals any expected value; all validators must pass. Script evaluation is off.
 */
export function runValidators(
  validators: ResponseValidator[],
  body: Buffer,
  bodyComplete: boolean,
): { results: ValidatorResult[]; passed: boolean; problem: string | null } {
  if (validators.length === 0) return { results: [], passed: true, problem: null };
  let data: unknown;
  let problem: string | null = null;
  if (!bodyComplete) problem = 'the response body is too large to validate';
  else {
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch {
      problem = 'the response body is not JSON';
    }
  }
  const results = validators.map((v): ValidatorResult => {
    const actualValue = problem ? null : valueAt(v.jsonPath, data);
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
  return { results, passed: !failed && !problem, problem };
}

function valueAt(path: string, data: unknown): string | null {
  let matches: unknown[];
  try {
    matches = JSONPath({ path, json: { data } as object, eval: false, wrap: true }) as unknown[];
  } catch {
    return null;
  }
  if (!Array.isArray(matches) || matches.length === 0) return null;
  const value = matches[0];
  if (value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
