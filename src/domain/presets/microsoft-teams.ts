import type { WebhookPreset } from '../preset.js';
import { ACCESS_LIST, DURATION, HEADLINE } from './liquid.js';

// A Teams workflow ("When a Teams webhook request is received") answers 202 with no body: no JSON to validate.
export const microsoftTeams: WebhookPreset = {
  id: 'microsoft-teams',
  name: 'Microsoft Teams',
  description:
    'Posts each access request to a Teams channel as an Adaptive Card, through a Workflows webhook (the successor of Office 365 connectors).',
  docsUrl:
    'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using',
  placeholders: [
    {
      name: 'teams-workflow-url',
      label: 'Workflow URL',
      description:
        'The whole HTTP POST URL of a Teams workflow made from the template "Post to a channel when a webhook request is received" (Teams → Workflows). It carries a signature (sig=…): treat it as a secret.',
      example:
        'https://prod-00.westus.logic.azure.com/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abcdefghijklmnop',
      secret: true,
    },
  ],
  definition: {
    name: 'Teams access requests',
    description: 'Posts access requests to a Microsoft Teams channel',
    method: 'POST',
    url: '{teams-workflow-url}',
    headers: [],
    bodyTemplate: `{
  "type": "message",
  "attachments": [
    {
      "contentType": "application/vnd.microsoft.card.adaptive",
      "contentUrl": null,
      "content": {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
          {
            "type": "TextBlock",
            "size": "Medium",
            "weight": "Bolder",
            "wrap": true,
            "text": "${HEADLINE} · {{ data.friendly_id }}"
          },
          {
            "type": "FactSet",
            "facts": [
              { "title": "Requester", "value": "{{ data.requester.name }} ({{ data.requester.email }})" },
              { "title": "Access", "value": "${ACCESS_LIST}" },
              { "title": "Duration", "value": "${DURATION}" },
              { "title": "Access flow", "value": "{{ data.access_flow.name }}" }
            ]
          },
          { "type": "TextBlock", "wrap": true, "text": "{{ data.justification }}" }
        ]
      }
    }
  ]
}`,
    triggers: ['RequestCreated', 'RequestApproved', 'RequestRejected', 'RequestFailed'],
    timeoutSeconds: 30,
    responseValidators: [],
    customValidationErrorMessage: null,
  },
};
