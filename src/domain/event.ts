import { z } from 'zod';
import sample from './samples/request-created.json' with { type: 'json' };

export const TRIGGERS = [
  'RequestCreated',
  'RequestApproved',
  'RequestExpired',
  'RequestFailed',
  'RequestGranted',
  'RequestRejected',
] as const;

export type Trigger = (typeof TRIGGERS)[number];

const epochSeconds = z
  .number()
  .nonnegative()
  .describe('Epoch seconds with a fraction, e.g. 1696263265.851898');
const idName = z.looseObject({ id: z.string(), name: z.string() });
const resourceType = z.looseObject({ id: z.string(), name: z.string(), display_path: z.string() });

/**
 * The access-request event as producers publish it and as templates and filters see it.
 * Unknown extra fields are kept (producers may be newer than this server); known fields are typed.
 */
export const eventSchema = z
  .looseObject({
    event_type: z.enum(TRIGGERS).describe('The trigger: which request status change happened'),
    event_time: epochSeconds.describe('When the event happened, epoch seconds with a fraction'),
    data: z.looseObject({
      id: z.string().min(1).describe('Request id'),
      friendly_id: z.string().describe('Human-readable id shown in the UI, e.g. AR-123'),
      requester: z
        .looseObject({ id: z.string(), name: z.string(), email: z.string() })
        .describe('Who asked for the access'),
      grantee: z
        .looseObject({ id: z.string(), source_id: z.string(), name: z.string(), type: z.string() })
        .describe('Who receives the access (user, group, …); source_id is the id in the identity provider'),
      justification: z.string().describe("The requester's reason"),
      creation_date: epochSeconds.describe('Request creation time'),
      revocation_date: epochSeconds.nullable().describe('When access is (or was) revoked'),
      access_flow: idName.describe('The access flow that handled the request'),
      access_bundle: idName.nullable().describe('The bundle, when the request came from one'),
      access_duration_in_seconds: z.number().int().nonnegative().nullable().describe('Requested duration'),
      access_groups: z
        .array(
          z.looseObject({
            integration: z.looseObject({ id: z.string(), type: z.string(), name: z.string() }),
            resource_types: z.array(resourceType),
            access_units: z.array(
              z.looseObject({
                resource: z.looseObject({
                  id: z.string(),
                  name: z.string(),
                  path: z.string(),
                  type: resourceType,
                }),
                permission: idName,
              }),
            ),
          }),
        )
        .describe('One entry per integration'),
      approvals_logical_relation: z.enum(['OR', 'AND']).describe('OR: any approver; AND: all approvers'),
      approvals: z.array(
        z.looseObject({
          name: z.string(),
          type: z.enum(['automatic', 'manual']),
          status: z.string(),
          approver: z.looseObject({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
        }),
      ),
      custom_fields: z.record(z.string(), z.unknown()).describe('Request-form custom fields'),
    }),
  })
  .describe('An access-request event delivered to webhooks');

export type AccessEvent = z.infer<typeof eventSchema>;

let cachedJsonSchema: Record<string, unknown> | undefined;

/** JSON Schema of the event payload, generated from the same zod schema that validates events. */
export function eventPayloadJsonSchema(): Record<string, unknown> {
  cachedJsonSchema ??= z.toJSONSchema(eventSchema, { io: 'input' }) as Record<string, unknown>;
  return cachedJsonSchema;
}

const approver = { id: 'usr_42', name: 'Alex Kim', email: 'alex.kim@example.com' };

/** The mock event that testWebhook sends and template validation renders, one per trigger. */
export function sampleEvent(trigger: Trigger): AccessEvent {
  const event = structuredClone(sample) as AccessEvent;
  event.event_type = trigger;
  const approval = (status: string) => ({
    name: 'Security on-call',
    type: 'manual' as const,
    status,
    approver,
  });
  switch (trigger) {
    case 'RequestCreated':
      break;
    case 'RequestApproved':
    case 'RequestGranted':
    case 'RequestFailed':
    case 'RequestExpired':
      event.data.approvals = [approval('approved')];
      break;
    case 'RequestRejected':
      event.data.approvals = [approval('rejected')];
      event.data.revocation_date = null;
      break;
  }
  return event;
}

const sampleCheck = eventSchema.safeParse(sample);
if (!sampleCheck.success) {
  throw new Error(
    `samples/request-created.json does not match the event schema: ${sampleCheck.error.message}`,
  );
}
