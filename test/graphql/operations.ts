import { graphql } from '../gql/index.js';

/** The operations the GraphQL tests send; codegen types them into test/gql/. */

export const WebhookFields = graphql(`
  fragment WebhookFields on Webhook {
    id
    name
    description
    status
    method
    url
    bodyTemplate
    headers { name value }
    oauth { clientId clientSecret tokenEndpointUrl scopes }
    triggers
    filters {
      integrationIds integrationTypes resourceTypes resourceIds permissions
      accessFlowIds bundleIds requesterEmails granteeTypes approvalTypes
    }
    timeoutSeconds
    responseValidators { jsonPath expectedValues }
    customValidationErrorMessage
    disabledReason
    createdAt
    updatedAt
  }
`);

export const CreateWebhook = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      __typename
      ... on CreateWebhookSuccess { signingSecret webhook { ...WebhookFields } }
      ... on Error { message code }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const UpdateWebhook = graphql(`
  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      __typename
      ... on UpdateWebhookSuccess { webhook { ...WebhookFields } }
      ... on Error { message code }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id) {
      __typename
      ... on DeleteWebhookSuccess { deletedId }
      ... on Error { message code }
    }
  }
`);

export const GetWebhook = graphql(`
  query GetWebhook($id: ID!) {
    webhook(id: $id) { ...WebhookFields }
  }
`);

export const ListWebhooks = graphql(`
  query ListWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {
    webhooks(first: $first, after: $after, status: $status, trigger: $trigger, nameContains: $nameContains) {
      edges { cursor node { id name status triggers } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

export const NodeLookup = graphql(`
  query NodeLookup($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Webhook { name }
    }
  }
`);

export const EventSchema = graphql(`
  query EventSchema {
    eventPayloadSchema
  }
`);

export const SampleEvent = graphql(`
  query SampleEvent($trigger: WebhookTrigger!) {
    sampleEvent(trigger: $trigger)
  }
`);

export const WebhookPresets = graphql(`
  query WebhookPresets {
    webhookPresets {
      id
      name
      description
      docsUrl
      placeholders { name label description example secret }
      definition {
        name
        description
        method
        url
        headers { name value }
        bodyTemplate
        triggers
        timeoutSeconds
        responseValidators { jsonPath expectedValues }
        customValidationErrorMessage
      }
    }
  }
`);
