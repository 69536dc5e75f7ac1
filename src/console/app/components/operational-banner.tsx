import { useEffect, useState } from 'preact/hooks';
import { subscribe } from '../api.js';
import {
  ConsoleOperationalEventsDocument,
  type ConsoleOperationalEventsSubscription,
  type OperationalEventType,
} from '../gql/graphql.js';
import { href } from '../router.js';
import { TimeAgo } from './status.js';

type OperationalEvent = ConsoleOperationalEventsSubscription['operationalEvents'];

const OPERATIONAL_EVENTS = ConsoleOperationalEventsDocument.toString();

/** The newest events shown at once; older ones make room (the API lists them all). */
export const MAX_SHOWN = 5;

const TITLES: Record<OperationalEventType, string> = {
  WEBHOOK_DISABLED: 'Webhook deactivated by the system',
  WEBHOOK_ENABLED: 'Webhook active again',
  INVOCATION_EXHAUSTED: 'Delivery failed after its last retry',
};

/**
 * Operational events as they happen (a webhook the system deactivated, one set active again, an
 * invocation out of retries), above every page of the signed-in console, newest first, each one
 * dismissible. Only events that happen while the console is open: it is a notice, not a log.
 */
export function OperationalBanner() {
  const [events, setEvents] = useState<OperationalEvent[]>([]);

  useEffect(
    () =>
      subscribe(OPERATIONAL_EVENTS, {}, ({ operationalEvents: event }) =>
        setEvents((shown) => [event, ...shown.filter((e) => e.id !== event.id)].slice(0, MAX_SHOWN)),
      ),
    [],
  );

  if (events.length === 0) return null;
  const dismiss = (id: string) => setEvents((shown) => shown.filter((e) => e.id !== id));
  return (
    <section class="operational-banner" aria-label="Operational events" aria-live="polite">
      {events.map((event) => (
        <OperationalNotice key={event.id} event={event} onDismiss={() => dismiss(event.id)} />
      ))}
      {events.length > 1 && (
        <button type="button" class="link-button" onClick={() => setEvents([])}>
          Dismiss all
        </button>
      )}
    </section>
  );
}

function OperationalNotice(props: { event: OperationalEvent; onDismiss: () => void }) {
  const { event } = props;
  const title = TITLES[event.type];
  const name = event.webhook?.name ?? event.webhookId;
  return (
    <div class={`alert ${event.type === 'WEBHOOK_ENABLED' ? 'info' : 'warning'}`} data-type={event.type}>
      <div class="notice-text">
        <p>
          <strong>{title}:</strong>{' '}
          {event.webhook ? <a href={href({ page: 'webhook', id: event.webhookId })}>{name}</a> : name}{' '}
          <TimeAgo iso={event.occurredAt} />
        </p>
        <p>{event.reason}</p>
        {event.invocationId && (
          <p>
            <a href={href({ page: 'invocations', webhookId: event.webhookId })}>See its invocations</a>
          </p>
        )}
      </div>
      <button
        type="button"
        class="secondary small"
        onClick={props.onDismiss}
        aria-label={`Dismiss: ${title}, ${name}`}
      >
        Dismiss
      </button>
    </div>
  );
}
