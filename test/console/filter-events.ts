/**
 * Events for the console's filter tests: variations of the sample RequestCreated event (access flow,
 * integrations and resource types, approvals), each with a unique request id and friendly id, and an
 * account of their own to publish them in (publishEvents, with a PUBLISHER key of that account).
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { type AccessEvent, sampleEvent, type Trigger } from '../../src/domain/event.js';
import { PublishEvents } from '../dispatch/operations.js';
import type { TestApp } from '../support/app.js';

type Group = AccessEvent['data']['access_groups'][number];

const pgSchemaType = { id: 'postgresql-schema', name: 'Schema', display_path: 'PostgreSQL/Schema' };
const mysqlType = { id: 'mysql-database', name: 'Database', display_path: 'MySQL/Database' };
const pgIntegration = { id: 'int_pg_prod', type: 'postgresql', name: 'prod-orders-db' };

/** The integrations an event's request is for. */
export const GROUPS = {
  /** The sample's: prod-orders-db (postgresql) with a PostgreSQL/Database resource. */
  ordersDb: (): Group => structuredClone(sampleEvent('RequestCreated').data.access_groups[0] as Group),
  /** The sample's second: aws-prod with an S3 bucket. */
  aws: (): Group => structuredClone(sampleEvent('RequestCreated').data.access_groups[1] as Group),
  /** prod-orders-db again, but a PostgreSQL/Schema resource. */
  ordersSchema: (): Group => ({
    integration: pgIntegration,
    resource_types: [pgSchemaType],
    access_units: [
      {
        resource: {
          id: 'res_orders_public',
          name: 'public',
          path: 'prod-orders-db/public',
          type: pgSchemaType,
        },
        permission: { id: 'perm_usage', name: 'Usage' },
      },
    ],
  }),
  /** dev-mysql (mysql) with a MySQL/Database resource. */
  mysql: (): Group => ({
    integration: { id: 'int_mysql_dev', type: 'mysql', name: 'dev-mysql' },
    resource_types: [mysqlType],
    access_units: [
      {
        resource: { id: 'res_users', name: 'users', path: 'dev-mysql/users', type: mysqlType },
        permission: { id: 'perm_rw', name: 'ReadWrite' },
      },
    ],
  }),
};

export const FLOWS = {
  production: { id: 'flow_prod_db', name: 'Production databases' },
  development: { id: 'flow_dev_sandbox', name: 'Development sandboxes' },
};

export interface EventSpec {
  trigger?: Trigger;
  flow?: { id: string; name: string };
  groups?: (keyof typeof GROUPS)[];
  /** The approvals' type (RequestCreated events have none unless given). */
  approval?: 'manual' | 'automatic';
}

/** A variation of the sample event; its friendly id (`AR-<tag>-<random>`) names it in bodies. */
export function accessEvent(tag: string, spec: EventSpec = {}): AccessEvent {
  const event = sampleEvent(spec.trigger ?? 'RequestCreated');
  const unique = randomBytes(4).toString('hex');
  event.data.id = `req_${tag}_${unique}`;
  event.data.friendly_id = `AR-${tag}-${unique}`;
  event.data.access_flow = spec.flow ?? FLOWS.production;
  event.data.access_groups = (spec.groups ?? ['ordersDb', 'aws']).map((g) => GROUPS[g]());
  if (spec.approval) {
    event.data.approvals = [
      {
        name: spec.approval === 'manual' ? 'Security on-call' : 'Auto-approve low risk',
        type: spec.approval,
        status: 'approved',
        approver:
          spec.approval === 'manual'
            ? { id: 'usr_42', name: 'Alex Kim', email: 'alex.kim@example.com' }
            : null,
      },
    ];
  }
  return event;
}

export interface FilterAccount {
  accountId: string;
  /** The account's ADMIN key: sign in with it. */
  token: string;
  /** Publishes with the account's PUBLISHER key; per event: its id and the webhooks it matched. */
  publish(...events: AccessEvent[]): Promise<{ eventId: string; webhookIds: string[] }[]>;
}

/** A fresh account (so the catalog and the recent events are this test's alone). */
export async function filterAccount(t: TestApp): Promise<FilterAccount> {
  const { accountId, token } = await t.newAccount();
  const publisher = await t.newKey('PUBLISHER', accountId);
  return {
    accountId,
    token,
    async publish(...events) {
      const res = await t.as(publisher.token).gql(PublishEvents, {
        events: events.map((event) => ({ event })),
      });
      const result = res.data?.publishEvents;
      if (result?.__typename !== 'PublishEventsSuccess') throw new Error(JSON.stringify(res));
      return result.results.map((r) => {
        if (r.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(r));
        return { eventId: r.eventId, webhookIds: r.invocations.map((i) => i.webhookId) };
      });
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Chooses a filter value the way an admin does: types into the filter's search and clicks the option
 * with this label; resolves when its chip shows the label.
 */
export async function pickFilter(page: Page, filter: string, search: string, optionLabel: string) {
  const box = page.getByRole('combobox', { name: filter, exact: true });
  await box.fill(search);
  await page
    .getByRole('listbox', { name: `${filter}: values` })
    .getByRole('option', { name: new RegExp(`^${escapeRegExp(optionLabel)} `) })
    .click();
  await chips(page, filter).getByText(optionLabel, { exact: true }).waitFor();
}

/** The chips of a filter. */
export function chips(page: Page, filter: string) {
  return page.getByRole('list', { name: new RegExp(`^${escapeRegExp(filter)}: \\d+ chosen$`) });
}
