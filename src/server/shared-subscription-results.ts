import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
} from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * One execution per subscription event for all the subscribers that would get the same result.
 *
 * Every local subscriber of an account's feed receives the same update object (src/live), and a
 * subscription event's result depends only on that object, the operation (document, operation name,
 * variables) and who asks (what `callerKey` returns: the account and role, which is all that the
 * resolvers and scope checks read). So the result is computed once for the first subscriber and
 * handed to the others, instead of executing the selection set a thousand times for a thousand
 * dashboards watching one account. Results are kept in a WeakMap keyed by the update object: they
 * go when the update does. A subscriber with no caller key executes on its own, as before.
 *
 * graphql-js's `createSourceEventStream` and `execute` do what yoga's default subscribe does, with
 * the per-event execution memoised (yoga's mapAsyncIterator: closing the result closes the source).
 */
export function useSharedSubscriptionResults(callerKey: (contextValue: unknown) => string | null): Plugin {
  const shared = new WeakMap<object, WeakMap<DocumentNode, Map<string, Result>>>();

  const resultFor = (args: ExecutionArgs, key: string | null, payload: unknown): Result => {
    const run = () => execute({ ...args, rootValue: payload });
    if (key === null || payload === null || typeof payload !== 'object') return run();
    let byDocument = shared.get(payload);
    if (!byDocument) {
      byDocument = new WeakMap();
      shared.set(payload, byDocument);
    }
    let byKey = byDocument.get(args.document);
    if (!byKey) {
      byKey = new Map();
      byDocument.set(args.document, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = run();
      byKey.set(key, result);
    }
    return result;
  };

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream;
        const caller = callerKey(args.contextValue);
        const key =
          caller === null
            ? null
            : `${caller}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
        return mapAsyncIterator(stream, (payload) => resultFor(args, key, payload));
      });
    },
  };
}
