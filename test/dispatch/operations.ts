import { graphql } from '../gql/index.js';

export const InvocationFields = graphql(`
  fragment InvocationFields on Invocation {
    id webhookId eventId trigger test status attemptCount messageId nextAttemptAt completedAt supersededBy
    webhook { id name }
    attempts {
      number startedAt durationMs success
      request { method url headers { name value } body }
      response { statusCode headers { name value } body bodyTruncated }
      error { code message }
      validatorResults { jsonPath expectedValues actualValue passed }
    }
    lastAttempt { number success error { code message } }
  }
`);

export const PublishEvent = graphql(`
  mutation PublishEvent($event: JSON!, $idempotencyKey: String) {
    publishEvent(event: $event, idempotencyKey: $idempotencyKey) {
      __typename
      ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }
      ... on ValidationError { message fieldErrors { path message } }
    }
  }
`);

export const PublishEvents = graphql(`
  mutation PublishEvents($events: [PublishEventInput!]!) {
    publishEvents(events: $events) {
      __typename
      ... on PublishEventsSuccess {
        results {
          __typename
          ... on PublishEventSuccess { eventId matchedWebhookCount duplicate invocations { id webhookId status } }
          ... on ValidationError { fieldErrors { path message } }
        }
      }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const GetInvocation = graphql(`
  query GetInvocation($id: ID!) {
    invocation(id: $id) { ...InvocationFields }
  }
`);

export const ListInvocations = graphql(`
  query ListInvocations($webhookId: ID, $status: InvocationStatus, $eventId: ID, $test: Boolean, $first: Int, $after: String) {
    invocations(webhookId: $webhookId, status: $status, eventId: $eventId, test: $test, first: $first, after: $after) {
      edges { node { id status webhookId eventId test } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const WebhookInvocations = graphql(`
  query WebhookInvocations($id: ID!, $status: InvocationStatus) {
    webhook(id: $id) { invocations(status: $status, first: 100) { edges { node { id status } } } }
  }
`);

export const TestWebhook = graphql(`
  mutation TestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {
    testWebhook(id: $id, input: $input, trigger: $trigger) {
      __typename
      ... on TestWebhookSuccess { success invocation { ...InvocationFields } }
      ... on Error { message code }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const Redeliver = graphql(`
  mutation Redeliver($id: ID!) {
    redeliverInvocation(id: $id) {
      __typename
      ... on RedeliverInvocationSuccess { invocation { id status messageId } }
      ... on Error { message code }
    }
  }
`);

export const Recover = graphql(`
  mutation Recover($webhookId: ID!, $since: DateTime!) {
    recoverFailedInvocations(webhookId: $webhookId, since: $since) {
      __typename
      ... on RecoverFailedInvocationsSuccess { count }
      ... on Error { message code }
    }
  }
`);

export const RotateSecret = graphql(`
  mutation RotateSecret($id: ID!) {
    rotateWebhookSigningSecret(id: $id) {
      __typename
      ... on RotateWebhookSigningSecretSuccess { signingSecret webhook { id } }
      ... on Error { message code }
    }
  }
`);
