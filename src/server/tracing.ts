import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { OperationInfo, OperationSpan, Tracing } from '../ops/tracing.js';

/**
 * A span per GraphQL operation (src/ops/tracing.ts) on every transport: execution runs inside it, so
 * the spans that resolvers start (publishes, test deliveries) see it. Over HTTP and SSE the span
 * continues the request's W3C `traceparent`. A subscription's span covers starting it, not its stream.
 */
export function useTracing(tracing: Tracing): Plugin {
  const start = (args: {
    document: Parameters<typeof getOperationAST>[0];
    operationName?: string | null;
    contextValue: unknown;
  }): OperationSpan => {
    const operation = getOperationAST(args.document, args.operationName);
    const request = (args.contextValue as { request?: Request } | null)?.request;
    const info: OperationInfo = {
      type: operation?.operation ?? 'query',
      name: operation?.name?.value ?? args.operationName ?? null,
      traceparent: request?.headers?.get('traceparent') ?? null,
    };
    return tracing.operation(info);
  };
  const errorsOf = (result: unknown) =>
    (result as { errors?: readonly unknown[] } | null)?.errors?.length ?? 0;
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const span = start(args);
      setExecuteFn((a) => span.run(() => executeFn(a)));
      return { onExecuteDone: ({ result }) => span.end({ errors: errorsOf(result) }) };
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const span = start(args);
      setSubscribeFn((a) => span.run(() => subscribeFn(a)));
      return {
        onSubscribeResult: ({ result }) => span.end({ errors: errorsOf(result) }),
        onSubscribeError: () => span.end({ errors: 1 }),
      };
    },
  };
}
