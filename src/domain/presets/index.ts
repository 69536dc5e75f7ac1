import type { WebhookPreset } from '../preset.js';
import { datadog } from './datadog.js';
import { freshdesk } from './freshdesk.js';
import { genericJson } from './generic-json.js';
import { jira } from './jira.js';
import { microsoftTeams } from './microsoft-teams.js';
import { oktaWorkflows } from './okta-workflows.js';
import { pagerduty } from './pagerduty.js';
import { servicenow } from './servicenow.js';
import { slack } from './slack.js';

/** Every preset, in the order the gallery shows them: chat, ticketing, paging, logs, identity, your own. */
export const WEBHOOK_PRESETS: readonly WebhookPreset[] = [
  slack,
  microsoftTeams,
  jira,
  servicenow,
  freshdesk,
  pagerduty,
  datadog,
  oktaWorkflows,
  genericJson,
];
