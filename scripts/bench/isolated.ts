/**
 * Runs one scenario in a fresh bench process (forked by runIsolated), with its own receiver: for the
 * memory scenario, whose RSS readings would otherwise start from the high-water mark the scenarios
 * before it left in the bench process.
 */
import { Child } from './child.js';
import type { ScenarioContext } from './context.js';
import { memory } from './memory.js';
import { BenchReceiver } from './receiver.js';
import type { ScenarioResult } from './report.js';

type Command = {
  cmd: 'run';
  reqId: number;
  scenario: 'memory';
  options: Pick<ScenarioContext, 'store' | 'quick' | 'mongo' | 'profileDir'>;
};
type Message =
  | { type: 'result'; reqId: number; result: ScenarioResult }
  | { type: 'failed'; reqId: number; message: string }
  | { type: 'log'; message: string };

const SCENARIOS = { memory };

/** Runs the scenario in a child bench process (node --expose-gc) and returns its result. */
export async function runIsolated(
  ctx: ScenarioContext,
  scenario: Command['scenario'],
): Promise<ScenarioResult> {
  const child = new Child<Command, Message>(new URL('./isolated.ts', import.meta.url), `${scenario} bench`, [
    '--expose-gc',
  ]);
  const stopLogs = child.on((m) => {
    if (m.type === 'log') ctx.log(m.message);
  });
  try {
    const answer = await child.request<Extract<Message, { type: 'result' | 'failed' }>>({
      cmd: 'run',
      reqId: 0,
      scenario,
      options: { store: ctx.store, quick: ctx.quick, mongo: ctx.mongo, profileDir: ctx.profileDir },
    });
    if (answer.type === 'failed') throw new Error(answer.message);
    return answer.result;
  } finally {
    stopLogs();
    await child.stop();
  }
}

if (process.send && process.argv[1]?.endsWith('isolated.ts')) {
  const send = (m: Message) => process.send?.(m);
  process.on('message', (m: Command) => {
    void (async () => {
      const receiver = await BenchReceiver.start();
      try {
        const result = await SCENARIOS[m.scenario]({
          ...m.options,
          receiver,
          log: (message) => send({ type: 'log', message }),
        });
        send({ type: 'result', reqId: m.reqId, result });
      } catch (err) {
        send({
          type: 'failed',
          reqId: m.reqId,
          message: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      } finally {
        await receiver.stop();
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}
