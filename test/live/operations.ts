import { graphql } from '../gql/index.js';

export const InvocationUpdated = graphql(`
  subscription InvocationUpdated($webhookId: ID) {
    invocationUpdated(webhookId: $webhookId) {
      id webhookId eventId test status attemptCount nextAttemptAt updatedAt completedAt
      lastAttempt { number success response { statusCode } error { code } }
    }
  }
`);
