import type { WebhookPreset } from '../preset.js';
import { basicCredentials, DURATION, HEADLINE, INTEGRATIONS } from './liquid.js';

/** One ADF bullet item of plain text. */
const adfItem = (text: string) =>
  `{ "type": "listItem", "content": [{ "type": "paragraph", "content": [{ "type": "text", "text": "${text}" }] }] }`;

// REST v3 takes the description as an Atlassian Document Format document, whose text nodes must not
// be empty: each one starts with a label. Jira answers 201 with {id, key, self}, all of them new
// values, so there is nothing fixed a validator could expect: any 2xx is the proof.
export const jira: WebhookPreset = {
  id: 'jira',
  name: 'Jira',
  description:
    'Creates a Jira Cloud issue for each new access request (REST API v3, create issue), with the requester, the access asked for and the justification; signs in with an Atlassian API token.',
  docsUrl:
    'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post',
  placeholders: [
    {
      name: 'jira-site',
      label: 'Jira site',
      description: 'The name of your Jira Cloud site: the part before .atlassian.net in its address.',
      example: 'acme',
      secret: false,
    },
    {
      name: 'jira-credentials',
      label: 'Jira credentials',
      description: `In the Authorization header: ${basicCredentials('your-email', 'api-token')}, with an API token made at id.atlassian.com → Security → API tokens. The account needs the Create issues permission in the project.`,
      example: 'ZGFuYUBleGFtcGxlLmNvbTpleGFtcGxlLWFwaS10b2tlbg==',
      secret: true,
    },
    {
      name: 'jira-project-key',
      label: 'Project key',
      description:
        'In the body template: the key of the project the issues go to, e.g. SEC (the prefix of its issue keys).',
      example: 'SEC',
      secret: false,
    },
  ],
  definition: {
    name: 'Jira access request issues',
    description: 'Creates a Jira issue for each new access request',
    method: 'POST',
    url: 'https://{jira-site}.atlassian.net/rest/api/3/issue',
    headers: [
      { name: 'Authorization', value: 'Basic {jira-credentials}' },
      { name: 'Accept', value: 'application/json' },
    ],
    bodyTemplate: `{
  "fields": {
    "project": { "key": "{jira-project-key}" },
    "issuetype": { "name": "Task" },
    "summary": "Access request {{ data.friendly_id }}: {{ data.requester.name }} on ${INTEGRATIONS}",
    "labels": ["access-request"],
    "description": {
      "type": "doc",
      "version": 1,
      "content": [
        {
          "type": "paragraph",
          "content": [
            { "type": "text", "text": "${HEADLINE}: {{ data.requester.name }} ({{ data.requester.email }}) asks for ${DURATION} of access through {{ data.access_flow.name }}." }
          ]
        },
        {
          "type": "paragraph",
          "content": [{ "type": "text", "text": "Justification: {{ data.justification }}" }]
        },
        {
          "type": "bulletList",
          "content": [
            {% assign sep = '' %}{% assign count = 0 %}{% for g in data.access_groups %}{% for u in g.access_units %}{{ sep }}${adfItem('{{ u.resource.path }} ({{ u.permission.name }})')}{% assign sep = ', ' %}{% assign count = count | plus: 1 %}{% endfor %}{% endfor %}{% if count == 0 %}${adfItem('No access units')}{% endif %}
          ]
        }
      ]
    }
  }
}`,
    triggers: ['RequestCreated'],
    timeoutSeconds: 30,
    responseValidators: [],
    customValidationErrorMessage: null,
  },
};
