/** Every operation the console sends: public API only (../../../schema/schema.graphql). */

const WEBHOOK_FIELDS = `
  fragment ConsoleWebhook on Webhook {
    id name status method url bodyTemplate
    headers { name value }
    oauth { clientId clientSecret tokenEndpointUrl scopes }
    triggers
    filters {
      integrationIds integrationTypes resourceTypes resourceIds permissions
      accessFlowIds bundleIds requesterEmails granteeTypes approvalTypes
    }
    timeoutSeconds
    responseValidators { jsonPath expectedValues }
    customValidationErrorMessage disabledReason createdAt updatedAt
  }`;

const ATTEMPT_FIELDS = `
  fragment ConsoleAttempt on InvocationAttempt {
    number startedAt durationMs success
    request { method url headers { name value } body }
    response { statusCode headers { name value } body bodyTruncated }
    error { code message }
    validatorResults { jsonPath expectedValues actualValue passed }
  }`;

const INVOCATION_FIELDS = `
  fragment ConsoleInvocation on Invocation {
    id webhookId webhook { id name } eventId trigger test status attemptCount nextAttemptAt
    createdAt updatedAt completedAt supersededBy
    lastAttempt { ...ConsoleAttempt }
  }
  ${ATTEMPT_FIELDS}`;

const ERROR = `... on Error { message code }`;
const ERROR_FIELDS = `${ERROR} ... on ValidationError { fieldErrors { path message } }`;

export const VIEWER = `query ConsoleViewer { viewer { role accountId } }`;

export const WEBHOOKS = `
  query ConsoleWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {
    webhooks(first: $first, after: $after, status: $status, trigger: $trigger, nameContains: $nameContains) {
      edges { node {
        id name status disabledReason method url triggers
        invocations(first: 1) { edges { node {
          id status test createdAt completedAt
          lastAttempt { success response { statusCode } error { code } }
        } } }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const WEBHOOK = `query ConsoleWebhook($id: ID!) { webhook(id: $id) { ...ConsoleWebhook } } ${WEBHOOK_FIELDS}`;

export const WEBHOOK_NAME = `query ConsoleWebhookName($id: ID!) { webhook(id: $id) { id name status disabledReason } }`;

export const CREATE_WEBHOOK = `
  mutation ConsoleCreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      __typename
      ... on CreateWebhookSuccess { signingSecret webhook { ...ConsoleWebhook } }
      ${ERROR_FIELDS}
    }
  } ${WEBHOOK_FIELDS}`;

export const UPDATE_WEBHOOK = `
  mutation ConsoleUpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      __typename
      ... on UpdateWebhookSuccess { webhook { ...ConsoleWebhook } }
      ${ERROR_FIELDS}
    }
  } ${WEBHOOK_FIELDS}`;

export const DELETE_WEBHOOK = `
  mutation ConsoleDeleteWebhook($id: ID!) {
    deleteWebhook(id: $id) { __typename ... on DeleteWebhookSuccess { deletedId } ${ERROR} }
  }`;

export const TEST_WEBHOOK = `
  mutation ConsoleTestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {
    testWebhook(id: $id, input: $input, trigger: $trigger) {
      __typename
      ... on TestWebhookSuccess { success invocation { ...ConsoleInvocation attempts { ...ConsoleAttempt } } }
      ${ERROR_FIELDS}
    }
  } ${INVOCATION_FIELDS}`;

export const PAYLOAD_SCHEMA = `query ConsolePayloadSchema { eventPayloadSchema }`;

export const SAMPLE_EVENT = `query ConsoleSampleEvent($trigger: WebhookTrigger!) { sampleEvent(trigger: $trigger) }`;

export const INVOCATIONS = `
  query ConsoleInvocations($first: Int, $after: String, $webhookId: ID, $status: InvocationStatus, $test: Boolean) {
    invocations(first: $first, after: $after, webhookId: $webhookId, status: $status, test: $test) {
      edges { node { ...ConsoleInvocation } }
      pageInfo { hasNextPage endCursor }
    }
  } ${INVOCATION_FIELDS}`;

export const INVOCATION = `
  query ConsoleInvocation($id: ID!) {
    invocation(id: $id) { ...ConsoleInvocation attempts { ...ConsoleAttempt } }
  } ${INVOCATION_FIELDS}`;

export const INVOCATION_UPDATED = `
  subscription ConsoleInvocationUpdated($webhookId: ID) {
    invocationUpdated(webhookId: $webhookId) { ...ConsoleInvocation }
  } ${INVOCATION_FIELDS}`;

export const REDELIVER = `
  mutation ConsoleRedeliver($id: ID!) {
    redeliverInvocation(id: $id) {
      __typename
      ... on RedeliverInvocationSuccess { invocation { ...ConsoleInvocation } }
      ${ERROR}
    }
  } ${INVOCATION_FIELDS}`;

export const RECOVER = `
  mutation ConsoleRecover($webhookId: ID!, $since: DateTime!) {
    recoverFailedInvocations(webhookId: $webhookId, since: $since) {
      __typename
      ... on RecoverFailedInvocationsSuccess { count }
      ${ERROR_FIELDS}
    }
  }`;
