/**
 * Liquid fragments the presets share, so that every tool words an event the same way. Each one is
 * plain Liquid over the event payload; none emits quotes or newlines of its own, so each fits
 * inside a JSON string (interpolated values are JSON-string-escaped by the renderer).
 */

/** What happened, in words: "New access request", "Access granted", … */
export const HEADLINE =
  "{% case event_type %}{% when 'RequestCreated' %}New access request{% when 'RequestApproved' %}Access request approved{% when 'RequestGranted' %}Access granted{% when 'RequestRejected' %}Access request rejected{% when 'RequestFailed' %}Granting access failed{% when 'RequestExpired' %}Access expired{% else %}{{ event_type }}{% endcase %}";

/**
 * Every access unit of the request, "path (permission)", comma-separated. The separator is set
 * after the first item, so an integration without access units leaves no stray comma.
 */
export const ACCESS_LIST =
  "{% assign sep = '' %}{% for g in data.access_groups %}{% for u in g.access_units %}{{ sep }}{{ u.resource.path }} ({{ u.permission.name }}){% assign sep = ', ' %}{% endfor %}{% endfor %}";

/** The integrations of the request, comma-separated: "prod-orders-db, aws-prod". */
export const INTEGRATIONS = "{{ data.access_groups | map: 'integration' | map: 'name' | join: ', ' }}";

/** The requested duration in minutes, or "no time limit". */
export const DURATION =
  '{% if data.access_duration_in_seconds %}{{ data.access_duration_in_seconds | divided_by: 60 }} min{% else %}no time limit{% endif %}';

/** The event time as ISO 8601 with its offset, e.g. 2025-11-28T10:21:05.851+00:00. */
export const EVENT_TIME_ISO = "{{ event_time | date: '%Y-%m-%dT%H:%M:%S.%L%:z' }}";

/** Basic credentials, explained once for the presets that use them. */
export const basicCredentials = (user: string, password: string) =>
  `the Base64 encoding of ${user}:${password} (e.g. printf '%s' '${user}:${password}' | base64)`;
