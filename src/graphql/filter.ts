import { listFilterOptions, MAX_FILTER_OPTIONS_PAGE } from '../domain/filter-catalog.js';
import type { FilterOption } from '../domain/filter-option.js';
import { MAX_PREVIEW_EVENTS, type PreviewedEvent, previewWebhook } from '../domain/preview-use-cases.js';
import { builder } from './builder.js';
import { FilterDimensionEnum, WebhookTriggerEnum } from './enums.js';
import { unwrapQuery } from './errors.js';
import { CreateWebhookInput, definitionInput, webhookDeps } from './webhook.js';

/** What filters can be set to (the catalog learned from events), and a dry run of a definition. */

const FilterOptionType = builder.objectRef<FilterOption>('FilterOption').implement({
  description: 'A value that events of the account carried for one filter dimension',
  fields: (t) => ({
    value: t.exposeString('value', { description: 'Exactly what the filter matches' }),
    label: t.exposeString('label', {
      description: 'How people know it, e.g. "prod-orders-db (postgresql)" or "PostgreSQL/Database"',
    }),
    seenCount: t.exposeInt('seenCount', { description: 'How many published events carried it' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', description: 'When an event last carried it' }),
  }),
});

const PreviewedEventType = builder.objectRef<PreviewedEvent>('PreviewedEvent').implement({
  description: 'One stored event as a definition would have handled it; nothing was sent',
  fields: (t) => ({
    eventId: t.exposeID('eventId', { description: "The event's id (evt_…)" }),
    trigger: t.field({
      type: WebhookTriggerEnum,
      description: "The event's trigger",
      resolve: (e) => e.trigger,
    }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: "The event's event_time" }),
    triggerMatched: t.exposeBoolean('triggerMatched', {
      description: "Whether the event's trigger is one of the definition's",
    }),
    blockedBy: t.field({
      type: [FilterDimensionEnum],
      description: 'The filters that none of its values pass',
      resolve: (e) => e.blockedBy,
    }),
    matched: t.exposeBoolean('matched', { description: 'Whether it would have been delivered' }),
    renderedBody: t.exposeString('renderedBody', {
      nullable: true,
      description: 'The body it would have been sent with; set only for matched events',
    }),
    renderError: t.exposeString('renderError', {
      nullable: true,
      description: 'Why the body template could not render for it (matched events only)',
    }),
  }),
});

builder.queryFields((t) => ({
  filterOptions: t.field({
    type: [FilterOptionType],
    description: "Values this account's events carried for one dimension, most recently seen first",
    args: {
      dimension: t.arg({
        type: FilterDimensionEnum,
        required: true,
        description: 'The filter whose values to list',
      }),
      search: t.arg.string({
        description: 'Case-insensitive substring of the value or the label, up to 200 characters',
      }),
      first: t.arg.int({
        defaultValue: 50,
        description: `How many, 1 to ${MAX_FILTER_OPTIONS_PAGE}`,
      }),
    },
    resolve: async (_root, args, ctx) => unwrapQuery(await listFilterOptions(ctx.services, ctx.caller, args)),
  }),
  previewWebhook: t.field({
    type: [PreviewedEventType],
    description:
      "A dry run of a saved webhook (id) or an unsaved definition (input) over the account's most recent published events, newest first: nothing is sent or stored",
    args: {
      id: t.arg.id({
        description: 'A saved webhook to run, whatever its status (give exactly one of id and input)',
      }),
      input: t.arg({
        type: CreateWebhookInput,
        description:
          'An unsaved definition to run, validated like createWebhook (field errors under "input")',
      }),
      last: t.arg.int({
        defaultValue: 20,
        description: `How many recent events, 1 to ${MAX_PREVIEW_EVENTS}`,
      }),
    },
    resolve: async (_root, { id, input, last }, ctx) =>
      unwrapQuery(
        await previewWebhook(
          { ...webhookDeps(ctx), events: ctx.services.stores.events },
          ctx.caller,
          { id, input: input && definitionInput(input) },
          last,
        ),
      ),
  }),
}));
