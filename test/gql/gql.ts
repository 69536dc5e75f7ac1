/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment InvocationFields on Invocation {\n    id webhookId eventId trigger test status attemptCount messageId nextAttemptAt completedAt supersededBy\n    webhook { id name }\n    attempts {\n      number startedAt durationMs success\n      request { method url headers { name value } body }\n      response { statusCode headers { name value } body bodyTruncated }\n      error { code message }\n      validatorResults { jsonPath expectedValues actualValue passed }\n    }\n    lastAttempt { number success error { code message } }\n  }\n": typeof types.InvocationFieldsFragmentDoc,
    "\n  mutation PublishEvent($event: JSON!, $idempotencyKey: String) {\n    publishEvent(event: $event, idempotencyKey: $idempotencyKey) {\n      __typename\n      ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": typeof types.PublishEventDocument,
    "\n  mutation PublishEvents($events: [PublishEventInput!]!) {\n    publishEvents(events: $events) {\n      __typename\n      ... on PublishEventsSuccess {\n        results {\n          __typename\n          ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n          ... on ValidationError { fieldErrors { path message } }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.PublishEventsDocument,
    "\n  query GetInvocation($id: ID!) {\n    invocation(id: $id) { ...InvocationFields }\n  }\n": typeof types.GetInvocationDocument,
    "\n  query ListInvocations($webhookId: ID, $status: InvocationStatus, $eventId: ID, $test: Boolean, $first: Int, $after: String) {\n    invocations(webhookId: $webhookId, status: $status, eventId: $eventId, test: $test, first: $first, after: $after) {\n      edges { node { id status webhookId eventId test } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ListInvocationsDocument,
    "\n  query WebhookInvocations($id: ID!, $status: InvocationStatus) {\n    webhook(id: $id) { invocations(status: $status, first: 100) { edges { node { id status } } } }\n  }\n": typeof types.WebhookInvocationsDocument,
    "\n  mutation TestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success invocation { ...InvocationFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.TestWebhookDocument,
    "\n  mutation Redeliver($id: ID!) {\n    redeliverInvocation(id: $id) {\n      __typename\n      ... on RedeliverInvocationSuccess { invocation { id status messageId } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.RedeliverDocument,
    "\n  mutation Recover($webhookId: ID!, $since: DateTime!) {\n    recoverFailedInvocations(webhookId: $webhookId, since: $since) {\n      __typename\n      ... on RecoverFailedInvocationsSuccess { count }\n      ... on Error { message code }\n    }\n  }\n": typeof types.RecoverDocument,
    "\n  mutation RotateSecret($id: ID!) {\n    rotateWebhookSigningSecret(id: $id) {\n      __typename\n      ... on RotateWebhookSigningSecretSuccess { signingSecret webhook { id } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.RotateSecretDocument,
    "\n  mutation CreatePolicies($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreatePoliciesDocument,
    "\n  mutation UpdatePolicies($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UpdatePoliciesDocument,
    "\n  query FilterOptions($dimension: FilterDimension!, $search: String, $first: Int) {\n    filterOptions(dimension: $dimension, search: $search, first: $first) { value label seenCount lastSeenAt }\n  }\n": typeof types.FilterOptionsDocument,
    "\n  mutation CreateFiltered($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id filters { integrationTypes permissions integrationIds } } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.CreateFilteredDocument,
    "\n  mutation UpdateFiltered($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.UpdateFilteredDocument,
    "\n  mutation TestVerdict($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success matched blockedBy invocation { id } }\n      ... on Error { message }\n    }\n  }\n": typeof types.TestVerdictDocument,
    "\n  query Preview($id: ID, $input: CreateWebhookInput, $last: Int) {\n    previewWebhook(id: $id, input: $input, last: $last) {\n      eventId trigger occurredAt triggerMatched blockedBy matched renderedBody renderError\n    }\n  }\n": typeof types.PreviewDocument,
    "\n  fragment WebhookFields on Webhook {\n    id\n    name\n    description\n    status\n    method\n    url\n    bodyTemplate\n    headers { name value }\n    oauth { clientId clientSecret tokenEndpointUrl scopes }\n    triggers\n    filters {\n      integrationIds integrationTypes resourceTypes resourceIds permissions\n      accessFlowIds bundleIds requesterEmails granteeTypes approvalTypes\n    }\n    timeoutSeconds\n    responseValidators { jsonPath expectedValues }\n    customValidationErrorMessage\n    disabledReason\n    createdAt\n    updatedAt\n  }\n": typeof types.WebhookFieldsFragmentDoc,
    "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { signingSecret webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateWebhookDocument,
    "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UpdateWebhookDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      __typename\n      ... on DeleteWebhookSuccess { deletedId }\n      ... on Error { message code }\n    }\n  }\n": typeof types.DeleteWebhookDocument,
    "\n  query GetWebhook($id: ID!) {\n    webhook(id: $id) { ...WebhookFields }\n  }\n": typeof types.GetWebhookDocument,
    "\n  query ListWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {\n    webhooks(first: $first, after: $after, status: $status, trigger: $trigger, nameContains: $nameContains) {\n      edges { cursor node { id name status triggers } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.ListWebhooksDocument,
    "\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Webhook { name }\n    }\n  }\n": typeof types.NodeLookupDocument,
    "\n  query EventSchema {\n    eventPayloadSchema\n  }\n": typeof types.EventSchemaDocument,
    "\n  query SampleEvent($trigger: WebhookTrigger!) {\n    sampleEvent(trigger: $trigger)\n  }\n": typeof types.SampleEventDocument,
    "\n  query WebhookPresets {\n    webhookPresets {\n      id\n      name\n      description\n      docsUrl\n      placeholders { name label description example secret }\n      definition {\n        name\n        description\n        method\n        url\n        headers { name value }\n        bodyTemplate\n        triggers\n        timeoutSeconds\n        responseValidators { jsonPath expectedValues }\n        customValidationErrorMessage\n      }\n    }\n  }\n": typeof types.WebhookPresetsDocument,
    "\n  subscription InvocationUpdated($webhookId: ID) {\n    invocationUpdated(webhookId: $webhookId) {\n      id webhookId eventId test status attemptCount nextAttemptAt updatedAt completedAt\n      lastAttempt { number success response { statusCode } error { code } }\n    }\n  }\n": typeof types.InvocationUpdatedDocument,
    "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { id revokedAt } } }\n  }\n": typeof types.RevokeKeyDocument,
    "\n  subscription InvocationStatusOnly {\n    invocationUpdated { id status }\n  }\n": typeof types.InvocationStatusOnlyDocument,
    "\n  subscription OperationalEvents($webhookId: ID) {\n    operationalEvents(webhookId: $webhookId) {\n      id type webhookId invocationId reason occurredAt\n      webhook { id status disabledReason }\n      delivery { status }\n    }\n  }\n": typeof types.OperationalEventsDocument,
    "\n  mutation SetOperationalWebhook($url: String!, $headers: [HeaderInput!], $rotate: Boolean) {\n    setOperationalWebhook(url: $url, headers: $headers, rotateSigningSecret: $rotate) {\n      __typename\n      ... on SetOperationalWebhookSuccess {\n        signingSecret\n        operationalWebhook { url headers { name value } createdAt updatedAt }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": typeof types.SetOperationalWebhookDocument,
    "\n  mutation ClearOperationalWebhook {\n    clearOperationalWebhook { cleared }\n  }\n": typeof types.ClearOperationalWebhookDocument,
    "\n  query GetOperationalWebhook {\n    operationalWebhook { url headers { name value } }\n  }\n": typeof types.GetOperationalWebhookDocument,
    "\n  query ListOperationalEvents($first: Int, $after: String) {\n    operationalEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id type webhookId invocationId reason occurredAt\n          delivery { status attempts nextAttemptAt lastError deliveredAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ListOperationalEventsDocument,
    "\n  mutation SecCreateApiKey($name: String!, $role: ApiKeyRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeySuccess { token apiKey { id name role prefix revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": typeof types.SecCreateApiKeyDocument,
    "\n  mutation SecRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n": typeof types.SecRevokeApiKeyDocument,
    "\n  query SecListApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges { cursor node { id name role prefix createdAt lastUsedAt revokedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SecListApiKeysDocument,
    "\n  query SecViewer {\n    viewer { accountId role apiKeyId }\n  }\n": typeof types.SecViewerDocument,
    "\n  query SecAnyNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n    }\n  }\n": typeof types.SecAnyNodeDocument,
    "\n  query SecInvocationLog($id: ID!) {\n    invocation(id: $id) {\n      id webhookId eventId status\n      attempts {\n        request { method url headers { name value } body }\n        response { statusCode headers { name value } body }\n        error { code message }\n      }\n    }\n  }\n": typeof types.SecInvocationLogDocument,
};
const documents: Documents = {
    "\n  fragment InvocationFields on Invocation {\n    id webhookId eventId trigger test status attemptCount messageId nextAttemptAt completedAt supersededBy\n    webhook { id name }\n    attempts {\n      number startedAt durationMs success\n      request { method url headers { name value } body }\n      response { statusCode headers { name value } body bodyTruncated }\n      error { code message }\n      validatorResults { jsonPath expectedValues actualValue passed }\n    }\n    lastAttempt { number success error { code message } }\n  }\n": types.InvocationFieldsFragmentDoc,
    "\n  mutation PublishEvent($event: JSON!, $idempotencyKey: String) {\n    publishEvent(event: $event, idempotencyKey: $idempotencyKey) {\n      __typename\n      ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": types.PublishEventDocument,
    "\n  mutation PublishEvents($events: [PublishEventInput!]!) {\n    publishEvents(events: $events) {\n      __typename\n      ... on PublishEventsSuccess {\n        results {\n          __typename\n          ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n          ... on ValidationError { fieldErrors { path message } }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.PublishEventsDocument,
    "\n  query GetInvocation($id: ID!) {\n    invocation(id: $id) { ...InvocationFields }\n  }\n": types.GetInvocationDocument,
    "\n  query ListInvocations($webhookId: ID, $status: InvocationStatus, $eventId: ID, $test: Boolean, $first: Int, $after: String) {\n    invocations(webhookId: $webhookId, status: $status, eventId: $eventId, test: $test, first: $first, after: $after) {\n      edges { node { id status webhookId eventId test } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ListInvocationsDocument,
    "\n  query WebhookInvocations($id: ID!, $status: InvocationStatus) {\n    webhook(id: $id) { invocations(status: $status, first: 100) { edges { node { id status } } } }\n  }\n": types.WebhookInvocationsDocument,
    "\n  mutation TestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success invocation { ...InvocationFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.TestWebhookDocument,
    "\n  mutation Redeliver($id: ID!) {\n    redeliverInvocation(id: $id) {\n      __typename\n      ... on RedeliverInvocationSuccess { invocation { id status messageId } }\n      ... on Error { message code }\n    }\n  }\n": types.RedeliverDocument,
    "\n  mutation Recover($webhookId: ID!, $since: DateTime!) {\n    recoverFailedInvocations(webhookId: $webhookId, since: $since) {\n      __typename\n      ... on RecoverFailedInvocationsSuccess { count }\n      ... on Error { message code }\n    }\n  }\n": types.RecoverDocument,
    "\n  mutation RotateSecret($id: ID!) {\n    rotateWebhookSigningSecret(id: $id) {\n      __typename\n      ... on RotateWebhookSigningSecretSuccess { signingSecret webhook { id } }\n      ... on Error { message code }\n    }\n  }\n": types.RotateSecretDocument,
    "\n  mutation CreatePolicies($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreatePoliciesDocument,
    "\n  mutation UpdatePolicies($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UpdatePoliciesDocument,
    "\n  query FilterOptions($dimension: FilterDimension!, $search: String, $first: Int) {\n    filterOptions(dimension: $dimension, search: $search, first: $first) { value label seenCount lastSeenAt }\n  }\n": types.FilterOptionsDocument,
    "\n  mutation CreateFiltered($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id filters { integrationTypes permissions integrationIds } } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n": types.CreateFilteredDocument,
    "\n  mutation UpdateFiltered($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n": types.UpdateFilteredDocument,
    "\n  mutation TestVerdict($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success matched blockedBy invocation { id } }\n      ... on Error { message }\n    }\n  }\n": types.TestVerdictDocument,
    "\n  query Preview($id: ID, $input: CreateWebhookInput, $last: Int) {\n    previewWebhook(id: $id, input: $input, last: $last) {\n      eventId trigger occurredAt triggerMatched blockedBy matched renderedBody renderError\n    }\n  }\n": types.PreviewDocument,
    "\n  fragment WebhookFields on Webhook {\n    id\n    name\n    description\n    status\n    method\n    url\n    bodyTemplate\n    headers { name value }\n    oauth { clientId clientSecret tokenEndpointUrl scopes }\n    triggers\n    filters {\n      integrationIds integrationTypes resourceTypes resourceIds permissions\n      accessFlowIds bundleIds requesterEmails granteeTypes approvalTypes\n    }\n    timeoutSeconds\n    responseValidators { jsonPath expectedValues }\n    customValidationErrorMessage\n    disabledReason\n    createdAt\n    updatedAt\n  }\n": types.WebhookFieldsFragmentDoc,
    "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { signingSecret webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateWebhookDocument,
    "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UpdateWebhookDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      __typename\n      ... on DeleteWebhookSuccess { deletedId }\n      ... on Error { message code }\n    }\n  }\n": types.DeleteWebhookDocument,
    "\n  query GetWebhook($id: ID!) {\n    webhook(id: $id) { ...WebhookFields }\n  }\n": types.GetWebhookDocument,
    "\n  query ListWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {\n    webhooks(first: $first, after: $after, status: $status, trigger: $trigger, nameContains: $nameContains) {\n      edges { cursor node { id name status triggers } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.ListWebhooksDocument,
    "\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Webhook { name }\n    }\n  }\n": types.NodeLookupDocument,
    "\n  query EventSchema {\n    eventPayloadSchema\n  }\n": types.EventSchemaDocument,
    "\n  query SampleEvent($trigger: WebhookTrigger!) {\n    sampleEvent(trigger: $trigger)\n  }\n": types.SampleEventDocument,
    "\n  query WebhookPresets {\n    webhookPresets {\n      id\n      name\n      description\n      docsUrl\n      placeholders { name label description example secret }\n      definition {\n        name\n        description\n        method\n        url\n        headers { name value }\n        bodyTemplate\n        triggers\n        timeoutSeconds\n        responseValidators { jsonPath expectedValues }\n        customValidationErrorMessage\n      }\n    }\n  }\n": types.WebhookPresetsDocument,
    "\n  subscription InvocationUpdated($webhookId: ID) {\n    invocationUpdated(webhookId: $webhookId) {\n      id webhookId eventId test status attemptCount nextAttemptAt updatedAt completedAt\n      lastAttempt { number success response { statusCode } error { code } }\n    }\n  }\n": types.InvocationUpdatedDocument,
    "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { id revokedAt } } }\n  }\n": types.RevokeKeyDocument,
    "\n  subscription InvocationStatusOnly {\n    invocationUpdated { id status }\n  }\n": types.InvocationStatusOnlyDocument,
    "\n  subscription OperationalEvents($webhookId: ID) {\n    operationalEvents(webhookId: $webhookId) {\n      id type webhookId invocationId reason occurredAt\n      webhook { id status disabledReason }\n      delivery { status }\n    }\n  }\n": types.OperationalEventsDocument,
    "\n  mutation SetOperationalWebhook($url: String!, $headers: [HeaderInput!], $rotate: Boolean) {\n    setOperationalWebhook(url: $url, headers: $headers, rotateSigningSecret: $rotate) {\n      __typename\n      ... on SetOperationalWebhookSuccess {\n        signingSecret\n        operationalWebhook { url headers { name value } createdAt updatedAt }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": types.SetOperationalWebhookDocument,
    "\n  mutation ClearOperationalWebhook {\n    clearOperationalWebhook { cleared }\n  }\n": types.ClearOperationalWebhookDocument,
    "\n  query GetOperationalWebhook {\n    operationalWebhook { url headers { name value } }\n  }\n": types.GetOperationalWebhookDocument,
    "\n  query ListOperationalEvents($first: Int, $after: String) {\n    operationalEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id type webhookId invocationId reason occurredAt\n          delivery { status attempts nextAttemptAt lastError deliveredAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ListOperationalEventsDocument,
    "\n  mutation SecCreateApiKey($name: String!, $role: ApiKeyRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeySuccess { token apiKey { id name role prefix revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n": types.SecCreateApiKeyDocument,
    "\n  mutation SecRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n": types.SecRevokeApiKeyDocument,
    "\n  query SecListApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges { cursor node { id name role prefix createdAt lastUsedAt revokedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SecListApiKeysDocument,
    "\n  query SecViewer {\n    viewer { accountId role apiKeyId }\n  }\n": types.SecViewerDocument,
    "\n  query SecAnyNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n    }\n  }\n": types.SecAnyNodeDocument,
    "\n  query SecInvocationLog($id: ID!) {\n    invocation(id: $id) {\n      id webhookId eventId status\n      attempts {\n        request { method url headers { name value } body }\n        response { statusCode headers { name value } body }\n        error { code message }\n      }\n    }\n  }\n": types.SecInvocationLogDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvocationFields on Invocation {\n    id webhookId eventId trigger test status attemptCount messageId nextAttemptAt completedAt supersededBy\n    webhook { id name }\n    attempts {\n      number startedAt durationMs success\n      request { method url headers { name value } body }\n      response { statusCode headers { name value } body bodyTruncated }\n      error { code message }\n      validatorResults { jsonPath expectedValues actualValue passed }\n    }\n    lastAttempt { number success error { code message } }\n  }\n"): (typeof documents)["\n  fragment InvocationFields on Invocation {\n    id webhookId eventId trigger test status attemptCount messageId nextAttemptAt completedAt supersededBy\n    webhook { id name }\n    attempts {\n      number startedAt durationMs success\n      request { method url headers { name value } body }\n      response { statusCode headers { name value } body bodyTruncated }\n      error { code message }\n      validatorResults { jsonPath expectedValues actualValue passed }\n    }\n    lastAttempt { number success error { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishEvent($event: JSON!, $idempotencyKey: String) {\n    publishEvent(event: $event, idempotencyKey: $idempotencyKey) {\n      __typename\n      ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation PublishEvent($event: JSON!, $idempotencyKey: String) {\n    publishEvent(event: $event, idempotencyKey: $idempotencyKey) {\n      __typename\n      ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishEvents($events: [PublishEventInput!]!) {\n    publishEvents(events: $events) {\n      __typename\n      ... on PublishEventsSuccess {\n        results {\n          __typename\n          ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n          ... on ValidationError { fieldErrors { path message } }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation PublishEvents($events: [PublishEventInput!]!) {\n    publishEvents(events: $events) {\n      __typename\n      ... on PublishEventsSuccess {\n        results {\n          __typename\n          ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }\n          ... on ValidationError { fieldErrors { path message } }\n        }\n      }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetInvocation($id: ID!) {\n    invocation(id: $id) { ...InvocationFields }\n  }\n"): (typeof documents)["\n  query GetInvocation($id: ID!) {\n    invocation(id: $id) { ...InvocationFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListInvocations($webhookId: ID, $status: InvocationStatus, $eventId: ID, $test: Boolean, $first: Int, $after: String) {\n    invocations(webhookId: $webhookId, status: $status, eventId: $eventId, test: $test, first: $first, after: $after) {\n      edges { node { id status webhookId eventId test } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ListInvocations($webhookId: ID, $status: InvocationStatus, $eventId: ID, $test: Boolean, $first: Int, $after: String) {\n    invocations(webhookId: $webhookId, status: $status, eventId: $eventId, test: $test, first: $first, after: $after) {\n      edges { node { id status webhookId eventId test } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookInvocations($id: ID!, $status: InvocationStatus) {\n    webhook(id: $id) { invocations(status: $status, first: 100) { edges { node { id status } } } }\n  }\n"): (typeof documents)["\n  query WebhookInvocations($id: ID!, $status: InvocationStatus) {\n    webhook(id: $id) { invocations(status: $status, first: 100) { edges { node { id status } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success invocation { ...InvocationFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation TestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success invocation { ...InvocationFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Redeliver($id: ID!) {\n    redeliverInvocation(id: $id) {\n      __typename\n      ... on RedeliverInvocationSuccess { invocation { id status messageId } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation Redeliver($id: ID!) {\n    redeliverInvocation(id: $id) {\n      __typename\n      ... on RedeliverInvocationSuccess { invocation { id status messageId } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Recover($webhookId: ID!, $since: DateTime!) {\n    recoverFailedInvocations(webhookId: $webhookId, since: $since) {\n      __typename\n      ... on RecoverFailedInvocationsSuccess { count }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation Recover($webhookId: ID!, $since: DateTime!) {\n    recoverFailedInvocations(webhookId: $webhookId, since: $since) {\n      __typename\n      ... on RecoverFailedInvocationsSuccess { count }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateSecret($id: ID!) {\n    rotateWebhookSigningSecret(id: $id) {\n      __typename\n      ... on RotateWebhookSigningSecretSuccess { signingSecret webhook { id } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateSecret($id: ID!) {\n    rotateWebhookSigningSecret(id: $id) {\n      __typename\n      ... on RotateWebhookSigningSecretSuccess { signingSecret webhook { id } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePolicies($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePolicies($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePolicies($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdatePolicies($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FilterOptions($dimension: FilterDimension!, $search: String, $first: Int) {\n    filterOptions(dimension: $dimension, search: $search, first: $first) { value label seenCount lastSeenAt }\n  }\n"): (typeof documents)["\n  query FilterOptions($dimension: FilterDimension!, $search: String, $first: Int) {\n    filterOptions(dimension: $dimension, search: $search, first: $first) { value label seenCount lastSeenAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateFiltered($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id filters { integrationTypes permissions integrationIds } } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateFiltered($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { webhook { id filters { integrationTypes permissions integrationIds } } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateFiltered($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateFiltered($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { id } warnings { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestVerdict($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success matched blockedBy invocation { id } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation TestVerdict($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {\n    testWebhook(id: $id, input: $input, trigger: $trigger) {\n      __typename\n      ... on TestWebhookSuccess { success matched blockedBy invocation { id } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Preview($id: ID, $input: CreateWebhookInput, $last: Int) {\n    previewWebhook(id: $id, input: $input, last: $last) {\n      eventId trigger occurredAt triggerMatched blockedBy matched renderedBody renderError\n    }\n  }\n"): (typeof documents)["\n  query Preview($id: ID, $input: CreateWebhookInput, $last: Int) {\n    previewWebhook(id: $id, input: $input, last: $last) {\n      eventId trigger occurredAt triggerMatched blockedBy matched renderedBody renderError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookFields on Webhook {\n    id\n    name\n    description\n    status\n    method\n    url\n    bodyTemplate\n    headers { name value }\n    oauth { clientId clientSecret tokenEndpointUrl scopes }\n    triggers\n    filters {\n      integrationIds integrationTypes resourceTypes resourceIds permissions\n      accessFlowIds bundleIds requesterEmails granteeTypes approvalTypes\n    }\n    timeoutSeconds\n    responseValidators { jsonPath expectedValues }\n    customValidationErrorMessage\n    disabledReason\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment WebhookFields on Webhook {\n    id\n    name\n    description\n    status\n    method\n    url\n    bodyTemplate\n    headers { name value }\n    oauth { clientId clientSecret tokenEndpointUrl scopes }\n    triggers\n    filters {\n      integrationIds integrationTypes resourceTypes resourceIds permissions\n      accessFlowIds bundleIds requesterEmails granteeTypes approvalTypes\n    }\n    timeoutSeconds\n    responseValidators { jsonPath expectedValues }\n    customValidationErrorMessage\n    disabledReason\n    createdAt\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { signingSecret webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      __typename\n      ... on CreateWebhookSuccess { signingSecret webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) {\n      __typename\n      ... on UpdateWebhookSuccess { webhook { ...WebhookFields } }\n      ... on Error { message code }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      __typename\n      ... on DeleteWebhookSuccess { deletedId }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      __typename\n      ... on DeleteWebhookSuccess { deletedId }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetWebhook($id: ID!) {\n    webhook(id: $id) { ...WebhookFields }\n  }\n"): (typeof documents)["\n  query GetWebhook($id: ID!) {\n    webhook(id: $id) { ...WebhookFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {\n    webhooks(first: $first, after: $after, status: $status, trigger: $trigger, nameContains: $nameContains) {\n      edges { cursor node { id name status triggers } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ListWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {\n    webhooks(first: $first, after: $after, status: $status, trigger: $trigger, nameContains: $nameContains) {\n      edges { cursor node { id name status triggers } }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Webhook { name }\n    }\n  }\n"): (typeof documents)["\n  query NodeLookup($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Webhook { name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventSchema {\n    eventPayloadSchema\n  }\n"): (typeof documents)["\n  query EventSchema {\n    eventPayloadSchema\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SampleEvent($trigger: WebhookTrigger!) {\n    sampleEvent(trigger: $trigger)\n  }\n"): (typeof documents)["\n  query SampleEvent($trigger: WebhookTrigger!) {\n    sampleEvent(trigger: $trigger)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookPresets {\n    webhookPresets {\n      id\n      name\n      description\n      docsUrl\n      placeholders { name label description example secret }\n      definition {\n        name\n        description\n        method\n        url\n        headers { name value }\n        bodyTemplate\n        triggers\n        timeoutSeconds\n        responseValidators { jsonPath expectedValues }\n        customValidationErrorMessage\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookPresets {\n    webhookPresets {\n      id\n      name\n      description\n      docsUrl\n      placeholders { name label description example secret }\n      definition {\n        name\n        description\n        method\n        url\n        headers { name value }\n        bodyTemplate\n        triggers\n        timeoutSeconds\n        responseValidators { jsonPath expectedValues }\n        customValidationErrorMessage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InvocationUpdated($webhookId: ID) {\n    invocationUpdated(webhookId: $webhookId) {\n      id webhookId eventId test status attemptCount nextAttemptAt updatedAt completedAt\n      lastAttempt { number success response { statusCode } error { code } }\n    }\n  }\n"): (typeof documents)["\n  subscription InvocationUpdated($webhookId: ID) {\n    invocationUpdated(webhookId: $webhookId) {\n      id webhookId eventId test status attemptCount nextAttemptAt updatedAt completedAt\n      lastAttempt { number success response { statusCode } error { code } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { id revokedAt } } }\n  }\n"): (typeof documents)["\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { id revokedAt } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InvocationStatusOnly {\n    invocationUpdated { id status }\n  }\n"): (typeof documents)["\n  subscription InvocationStatusOnly {\n    invocationUpdated { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OperationalEvents($webhookId: ID) {\n    operationalEvents(webhookId: $webhookId) {\n      id type webhookId invocationId reason occurredAt\n      webhook { id status disabledReason }\n      delivery { status }\n    }\n  }\n"): (typeof documents)["\n  subscription OperationalEvents($webhookId: ID) {\n    operationalEvents(webhookId: $webhookId) {\n      id type webhookId invocationId reason occurredAt\n      webhook { id status disabledReason }\n      delivery { status }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetOperationalWebhook($url: String!, $headers: [HeaderInput!], $rotate: Boolean) {\n    setOperationalWebhook(url: $url, headers: $headers, rotateSigningSecret: $rotate) {\n      __typename\n      ... on SetOperationalWebhookSuccess {\n        signingSecret\n        operationalWebhook { url headers { name value } createdAt updatedAt }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation SetOperationalWebhook($url: String!, $headers: [HeaderInput!], $rotate: Boolean) {\n    setOperationalWebhook(url: $url, headers: $headers, rotateSigningSecret: $rotate) {\n      __typename\n      ... on SetOperationalWebhookSuccess {\n        signingSecret\n        operationalWebhook { url headers { name value } createdAt updatedAt }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearOperationalWebhook {\n    clearOperationalWebhook { cleared }\n  }\n"): (typeof documents)["\n  mutation ClearOperationalWebhook {\n    clearOperationalWebhook { cleared }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetOperationalWebhook {\n    operationalWebhook { url headers { name value } }\n  }\n"): (typeof documents)["\n  query GetOperationalWebhook {\n    operationalWebhook { url headers { name value } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListOperationalEvents($first: Int, $after: String) {\n    operationalEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id type webhookId invocationId reason occurredAt\n          delivery { status attempts nextAttemptAt lastError deliveredAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ListOperationalEvents($first: Int, $after: String) {\n    operationalEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id type webhookId invocationId reason occurredAt\n          delivery { status attempts nextAttemptAt lastError deliveredAt }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecCreateApiKey($name: String!, $role: ApiKeyRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeySuccess { token apiKey { id name role prefix revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation SecCreateApiKey($name: String!, $role: ApiKeyRole!) {\n    createApiKey(name: $name, role: $role) {\n      __typename\n      ... on CreateApiKeySuccess { token apiKey { id name role prefix revokedAt } }\n      ... on ValidationError { message fieldErrors { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n"): (typeof documents)["\n  mutation SecRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess { apiKey { id revokedAt } }\n      ... on Error { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecListApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges { cursor node { id name role prefix createdAt lastUsedAt revokedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query SecListApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges { cursor node { id name role prefix createdAt lastUsedAt revokedAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecViewer {\n    viewer { accountId role apiKeyId }\n  }\n"): (typeof documents)["\n  query SecViewer {\n    viewer { accountId role apiKeyId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecAnyNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n    }\n  }\n"): (typeof documents)["\n  query SecAnyNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecInvocationLog($id: ID!) {\n    invocation(id: $id) {\n      id webhookId eventId status\n      attempts {\n        request { method url headers { name value } body }\n        response { statusCode headers { name value } body }\n        error { code message }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SecInvocationLog($id: ID!) {\n    invocation(id: $id) {\n      id webhookId eventId status\n      attempts {\n        request { method url headers { name value } body }\n        response { statusCode headers { name value } body }\n        error { code message }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;