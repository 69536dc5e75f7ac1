import { graphql } from '../gql/index.js';

/** Operations of the security tests that the other test folders do not define already. */

export const CreateApiKey = graphql(`
  mutation SecCreateApiKey($name: String!, $role: ApiKeyRole!) {
    createApiKey(name: $name, role: $role) {
      __typename
      ... on CreateApiKeySuccess { token apiKey { id name role prefix revokedAt } }
      ... on ValidationError { message fieldErrors { path message } }
    }
  }
`);

export const RevokeApiKey = graphql(`
  mutation SecRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on RevokeApiKeySuccess { apiKey { id revokedAt } }
      ... on Error { message code }
    }
  }
`);

export const ListApiKeys = graphql(`
  query SecListApiKeys($first: Int, $after: String) {
    apiKeys(first: $first, after: $after) {
      edges { cursor node { id name role prefix createdAt lastUsedAt revokedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const Viewer = graphql(`
  query SecViewer {
    viewer { accountId role apiKeyId }
  }
`);

export const AnyNode = graphql(`
  query SecAnyNode($id: ID!) {
    node(id: $id) {
      __typename
      id
    }
  }
`);

/** Everything an invocation log shows, secrets included if they were not masked. */
export const InvocationLog = graphql(`
  query SecInvocationLog($id: ID!) {
    invocation(id: $id) {
      id webhookId eventId status
      attempts {
        request { method url headers { name value } body }
        response { statusCode headers { name value } body }
        error { code message }
      }
    }
  }
`);
