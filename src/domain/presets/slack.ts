import type { WebhookPreset } from '../preset.js';
import { ACCESS_LIST, DURATION, HEADLINE } from './liquid.js';

// Slack reads <…> as links and mentions (<!channel>) in mrkdwn: text people typed is escaped so a
// justification cannot ping a channel. Slack answers "ok" as text/plain: no JSON to validate.
const slackText = (path: string) =>
  `{{ ${path} | replace: '&', '&amp;' | replace: '<', '&lt;' | replace: '>', '&gt;' }}`;

export const slack: WebhookPreset = {
  id: 'slack',
  name: 'Slack',
  description:
    'Posts each access request to a Slack channel through an incoming webhook, as a Block Kit message: who asks, for what, for how long and why.',
  docsUrl: 'https://api.slack.com/messaging/webhooks',
  placeholders: [
    {
      name: 'slack-webhook-path',
      label: 'Incoming webhook path',
      description:
        'The end of the Webhook URL Slack shows when you add an incoming webhook to a channel (your Slack app → Incoming Webhooks): the part after /services/. It is a credential: anyone with it can post to the channel.',
      example: 'T0000000000/B0000000000/abcdefghijklmnopqrstuvwx',
      secret: true,
    },
  ],
  definition: {
    name: 'Slack access requests',
    description: 'Posts access requests to a Slack channel',
    method: 'POST',
    url: 'https://hooks.slack.com/services/{slack-webhook-path}',
    headers: [],
    bodyTemplate: `{
  "text": "${HEADLINE} {{ data.friendly_id }}: ${slackText('data.requester.name')}",
  "blocks": [
    {
      "type": "section",
      "text": {
        "type": "mrkdwn",
        "text": "*${HEADLINE}* · {{ data.friendly_id }}\\n*${slackText('data.requester.name')}* ({{ data.requester.email }}) asks for ${ACCESS_LIST}, ${DURATION}."
      }
    },
    {
      "type": "section",
      "text": { "type": "mrkdwn", "text": "> ${slackText('data.justification')}" }
    },
    {
      "type": "context",
      "elements": [{ "type": "mrkdwn", "text": "Access flow: {{ data.access_flow.name }}" }]
    }
  ]
}`,
    triggers: ['RequestCreated', 'RequestApproved', 'RequestRejected', 'RequestFailed'],
    timeoutSeconds: 30,
    responseValidators: [],
    customValidationErrorMessage: null,
  },
};
