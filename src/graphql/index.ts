import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './enums.js';
import './event.js';
import './webhook.js';
import './invocation.js';
import './health.js';
import './filter.js';
import './operational.js';
import './subscription.js';
import './api-key.js';
import './preset.js';

/** The whole schema: each imported file adds its types, queries and mutations to the builder. */
export function toSchema() {
  return lexicographicSortSchema(builder.toSchema());
}
