import type { ValidatorResult } from './invocation.js';
import type { TemplateProblem } from './template.js';

/**
 * The port to untrusted work: body templates and JSONPath validators are written by admins and run
 * on data from events and targets, so they run where they cannot stall the event loop that serves
 * every account, under hard budgets (time, memory, output, nodes visited) enforced from outside the
 * code that runs them. Implemented by src/sandbox (a pool of worker threads, queued per account);
 * the use cases and the delivery engine receive it through their deps, wired in src/runtime.ts.
 */
export interface UntrustedWork {
  /**
   * The body of one delivery: '' for an empty template, otherwise JSON. Rejects with a
   * TemplateError (domain/template.ts) for a template problem, a budget overrun among them ("the
   * template ran past its 250 ms render budget", "…used more than its 64 MB memory budget", "the
   * rendered body is larger than 1 MiB"), and never for anything else the template does.
   */
  render(accountId: string, template: string, scope: object): Promise<string>;

  /**
   * Renders a template against every scope (the sample event of each trigger) in ONE task under
   * ONE budget: the first problem, or null when every render is valid JSON.
   */
  checkTemplate(accountId: string, template: string, scopes: object[]): Promise<TemplateProblem | null>;

  /** Runs a webhook's response validators on a target's answer (see src/sandbox/validators.ts). */
  validate(
    accountId: string,
    validators: readonly { jsonPath: string; expectedValues: string[] }[],
    body: Uint8Array,
    bodyComplete: boolean,
  ): Promise<ValidationOutcome>;
}

export interface ValidationOutcome {
  results: ValidatorResult[];
  passed: boolean;
  /** Why validation failed, for the attempt's error message; null when it passed. */
  problem: string | null;
  /**
   * The validators ran out of budget (nodes visited, time, memory) rather than finding a wrong
   * value: the problem names the limit, and a webhook's custom validation message does not replace it.
   */
  overBudget: boolean;
}
