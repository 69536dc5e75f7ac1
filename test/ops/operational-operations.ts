import { graphql } from '../gql/index.js';

/** The operations of the operational-event tests; codegen types them into test/gql/. */

export const OperationalEvents = graphql(`
  subscription OperationalEvents($webhookId: ID) {
    operationalEvents(webhookId: $webhookId) {
      id type webhookId invocationId reason occurredAt
      webhook { id status disabledReason }
      delivery { status }
    }
  }
`);

export const SetOperationalWebhook = graphql(`
  mutation SetOperationalWebhook($url: String!, $headers: [HeaderInput!], $rotate: Boolean) {
    setOperationalWebhook(url: $url, headers: $headers, rotateSigningSecret: $rotate) {
      __typename
      ... on SetOperationalWebhookSuccess {
        signingSecret
        operationalWebhook { url headers { name value } createdAt updatedAt }
      }
      ... on ValidationError { message fieldErrors { path message } }
    }
  }
`);

export const ClearOperationalWebhook = graphql(`
  mutation ClearOperationalWebhook {
    clearOperationalWebhook { cleared }
  }
`);

export const GetOperationalWebhook = graphql(`
  query GetOperationalWebhook {
    operationalWebhook { url headers { name value } }
  }
`);

export const ListOperationalEvents = graphql(`
  query ListOperationalEvents($first: Int, $after: String) {
    operationalEvents(first: $first, after: $after) {
      edges {
        cursor
        node {
          id type webhookId invocationId reason occurredAt
          delivery { status attempts nextAttemptAt lastError deliveredAt }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
