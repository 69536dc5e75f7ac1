import * as ops from './gql/graphql.js';

/**
 * Every operation the console sends, by the name the pages use. The operations are written in
 * ./operations.graphql (public API only); `npm run codegen` types each one from the schema into
 * ./gql/graphql.ts: a `…Document` with its text, its result type and its variables' type.
 *
 * Each export is that text as a plain string, still carrying both types (`Operation<Result, Variables>`
 * in ./api.ts): the console sends it as it is, over fetch and graphql-ws, and tools read it as GraphQL.
 * Importing the `…Document`s (not the client preset's `graphql()` lookup map, which repeats every
 * operation's text) keeps the browser bundle small.
 */
const text = <R, V>(doc: ops.TypedDocumentString<R, V>) => doc.toString();

export const VIEWER = text(ops.ConsoleViewerDocument);
export const WEBHOOKS = text(ops.ConsoleWebhooksDocument);
export const WEBHOOK = text(ops.ConsoleWebhookDocument);
export const WEBHOOK_NAME = text(ops.ConsoleWebhookNameDocument);
export const WEBHOOK_HEALTH = text(ops.ConsoleWebhookHealthDocument);
export const WEBHOOK_HEALTH_SUMMARY = text(ops.ConsoleWebhookHealthSummaryDocument);
export const CREATE_WEBHOOK = text(ops.ConsoleCreateWebhookDocument);
export const UPDATE_WEBHOOK = text(ops.ConsoleUpdateWebhookDocument);
export const DELETE_WEBHOOK = text(ops.ConsoleDeleteWebhookDocument);
export const TEST_WEBHOOK = text(ops.ConsoleTestWebhookDocument);
export const FILTER_OPTIONS = text(ops.ConsoleFilterOptionsDocument);
export const PREVIEW_WEBHOOK = text(ops.ConsolePreviewWebhookDocument);
export const PAYLOAD_SCHEMA = text(ops.ConsolePayloadSchemaDocument);
export const SAMPLE_EVENT = text(ops.ConsoleSampleEventDocument);
export const INVOCATIONS = text(ops.ConsoleInvocationsDocument);
export const INVOCATION = text(ops.ConsoleInvocationDocument);
export const INVOCATION_UPDATED = text(ops.ConsoleInvocationUpdatedDocument);
export const REDELIVER = text(ops.ConsoleRedeliverDocument);
export const RECOVER = text(ops.ConsoleRecoverDocument);
export const WEBHOOK_PRESETS = text(ops.ConsoleWebhookPresetsDocument);
export const API_KEYS = text(ops.ConsoleApiKeysDocument);
export const CREATE_API_KEY = text(ops.ConsoleCreateApiKeyDocument);
export const REVOKE_API_KEY = text(ops.ConsoleRevokeApiKeyDocument);
