import { useEffect, useRef, useState } from 'preact/hooks';
import { gql, subscribe } from '../api.js';
import type {
  ConsoleHealthFragment,
  ConsoleHealthSummaryFragment,
  ConsoleInvocationUpdatedSubscriptionVariables,
} from '../gql/graphql.js';
import { INVOCATION_UPDATED, WEBHOOK_HEALTH } from '../queries.js';

/**
 * Webhook health (Webhook.health): the sparkline of the webhooks table and the hourly chart of the
 * webhook page. Both are SVG drawn here with presentation attributes and classes (the CSP allows no
 * inline styles), each with its words for screen readers; both follow live updates.
 */

/** "97% of 120 deliveries succeeded in the last 24 hours; 3 retrying". */
export function healthText(
  h: Pick<ConsoleHealthSummaryFragment, 'hours' | 'succeeded' | 'failed' | 'retrying'>,
) {
  const total = h.succeeded + h.failed;
  const period = h.hours === 24 ? 'the last 24 hours' : `the last ${h.hours} hours`;
  const retrying = h.retrying ? `; ${h.retrying} retrying` : '';
  if (total === 0) return `No deliveries in ${period}${retrying}`;
  return `${successPercent(h.succeeded, total)}% of ${total} ${total === 1 ? 'delivery' : 'deliveries'} succeeded in ${period}${retrying}`;
}

/** Whole percent, never rounded up to 100 while some failed nor down to 0 while some succeeded. */
function successPercent(succeeded: number, total: number): number {
  const p = Math.round((succeeded / total) * 100);
  if (p === 100 && succeeded < total) return 99;
  if (p === 0 && succeeded > 0) return 1;
  return p;
}

/**
 * Calls `refresh(webhookIds)` shortly after deliveries of those webhooks finish or start retrying
 * (one call for a burst), as the live updates tell.
 */
export function useDeliveryChanges(
  variables: ConsoleInvocationUpdatedSubscriptionVariables,
  refresh: (webhookIds: string[]) => void,
) {
  const latest = useRef(refresh);
  latest.current = refresh;
  const key = JSON.stringify(variables);
  // key stands for the variables (a new object every render).
  useEffect(() => {
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = subscribe(INVOCATION_UPDATED, variables, ({ invocationUpdated: inv }) => {
      if (inv.test || !['SUCCEEDED', 'FAILED', 'RETRYING'].includes(inv.status)) return;
      pending.add(inv.webhookId);
      timer ??= setTimeout(() => {
        timer = undefined;
        const ids = [...pending];
        pending.clear();
        latest.current(ids);
      }, 250);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [key]);
}

/** 24 hourly bars of a webhooks-table row: succeeded below, failed above, height by deliveries. */
export function HealthSparkline({ health }: { health: ConsoleHealthSummaryFragment }) {
  const text = healthText(health);
  const total = health.succeeded + health.failed;
  const max = Math.max(1, ...health.buckets.map((b) => b.succeeded + b.failed));
  const H = 20;
  const bar = 3;
  const gap = 1;
  const width = health.buckets.length * (bar + gap) - gap;
  return (
    <span class="sparkline">
      <svg
        role="img"
        aria-label={text}
        width={width}
        height={H}
        viewBox={`0 0 ${width} ${H}`}
        data-succeeded={health.succeeded}
        data-failed={health.failed}
      >
        <title>{text}</title>
        {health.buckets.map((b, i) => {
          const x = i * (bar + gap);
          const n = b.succeeded + b.failed;
          if (n === 0) return <rect key={b.start} class="empty" x={x} y={H - 1} width={bar} height={1} />;
          const h = Math.max(2, Math.round((n / max) * H));
          const failed = b.failed ? Math.max(1, Math.round((b.failed / n) * h)) : 0;
          return (
            <g key={b.start}>
              {h - failed > 0 && <rect class="ok" x={x} y={H - h + failed} width={bar} height={h - failed} />}
              {failed > 0 && <rect class="failed" x={x} y={H - h} width={bar} height={failed} />}
            </g>
          );
        })}
      </svg>
      <span class="spark-rate" aria-hidden="true">
        {total ? `${successPercent(health.succeeded, total)}%` : '—'}
      </span>
    </span>
  );
}

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const hourRange = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A round upper bound for an axis: 1, 2, 5 times a power of ten. */
function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

const ms = (v: number | null) => (v === null ? '—' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);

/** The webhook page's health section: totals, the hourly chart, and its numbers as a table. */
export function HealthChart({ webhookId }: { webhookId: string }) {
  const [health, setHealth] = useState<ConsoleHealthFragment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    let current = true;
    gql(WEBHOOK_HEALTH, { id: webhookId }).then(
      (data) => {
        if (!current) return;
        const node = data.node && 'health' in data.node ? data.node : null;
        setHealth(node?.health ?? null);
        setError(null);
      },
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [webhookId, loads]);
  useDeliveryChanges({ webhookId }, () => setLoads((n) => n + 1));

  return (
    <section class="card health" aria-labelledby="health-title">
      <h2 id="health-title">Health, last 24 hours</h2>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      {health ? <HealthBody health={health} /> : !error && <p class="muted">Loading…</p>}
    </section>
  );
}

function HealthBody({ health }: { health: ConsoleHealthFragment }) {
  const total = health.succeeded + health.failed;
  return (
    <>
      <p class="health-summary" aria-live="polite" data-testid="health-summary">
        {healthText(health)}.
      </p>
      <dl class="health-totals">
        <div>
          <dt>Succeeded</dt>
          <dd data-total="succeeded">{health.succeeded}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-total="failed">{health.failed}</dd>
        </div>
        <div>
          <dt>Retrying now</dt>
          <dd data-total="retrying">{health.retrying}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{total ? `${successPercent(health.succeeded, total)}%` : '—'}</dd>
        </div>
        <div>
          <dt>p50 attempt</dt>
          <dd>{ms(health.p50DurationMs)}</dd>
        </div>
        <div>
          <dt>p95 attempt</dt>
          <dd>{ms(health.p95DurationMs)}</dd>
        </div>
      </dl>
      <HourlyChart health={health} />
      <details class="health-table">
        <summary>The hourly numbers as a table</summary>
        <div class="table-wrap">
          <table class="data">
            <caption class="sr-only">Deliveries per hour, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Hour</th>
                <th scope="col">Succeeded</th>
                <th scope="col">Failed</th>
                <th scope="col">Attempts</th>
                <th scope="col">p95 attempt</th>
              </tr>
            </thead>
            <tbody>
              {health.buckets.map((b) => (
                <tr key={b.start} data-hour={b.start}>
                  <th scope="row">
                    <time dateTime={b.start}>{hourRange.format(new Date(b.start))}</time>
                  </th>
                  <td>{b.succeeded}</td>
                  <td>{b.failed}</td>
                  <td>{b.attempts}</td>
                  <td>{ms(b.p95DurationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <p class="muted health-note">
        A delivery counts in the hour it finished; durations are those of every attempt, retries too.
      </p>
    </>
  );
}

/** Bars of succeeded and failed deliveries per hour (left axis) and the p95 attempt duration (right). */
function HourlyChart({ health }: { health: ConsoleHealthFragment }) {
  const W = 720;
  const H = 220;
  const m = { top: 14, right: 56, bottom: 34, left: 44 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const n = health.buckets.length;
  const slot = plotW / n;
  const barW = Math.max(2, slot * 0.7);
  const maxCount = niceMax(Math.max(...health.buckets.map((b) => b.succeeded + b.failed), 0));
  const p95s = health.buckets.map((b) => b.p95DurationMs ?? 0);
  const maxMs = niceMax(Math.max(...p95s, 0));
  const y = (count: number) => m.top + plotH - (count / maxCount) * plotH;
  const yMs = (v: number) => m.top + plotH - (v / maxMs) * plotH;
  const xOf = (i: number) => m.left + i * slot + (slot - barW) / 2;
  // The p95 line, broken where an hour had no attempt.
  const segments: string[][] = [];
  let run: string[] = [];
  health.buckets.forEach((b, i) => {
    if (b.p95DurationMs === null) {
      if (run.length) segments.push(run);
      run = [];
      return;
    }
    run.push(`${(xOf(i) + barW / 2).toFixed(1)},${yMs(b.p95DurationMs).toFixed(1)}`);
  });
  if (run.length) segments.push(run);
  const label = `Chart of deliveries per hour over the last ${health.hours} hours: ${health.succeeded} succeeded, ${health.failed} failed; the hourly numbers are in the table below.`;

  return (
    <figure class="health-chart">
      <svg role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="xMidYMid meet">
        <title>{label}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line class="grid" x1={m.left} x2={W - m.right} y1={y(maxCount * f)} y2={y(maxCount * f)} />
            {Number.isInteger(maxCount * f) && (
              <text class="tick" x={m.left - 6} y={y(maxCount * f) + 4} text-anchor="end">
                {maxCount * f}
              </text>
            )}
            <text class="tick p95" x={W - m.right + 6} y={yMs(maxMs * f) + 4} text-anchor="start">
              {ms(Math.round(maxMs * f))}
            </text>
          </g>
        ))}
        {health.buckets.map((b, i) => {
          const x = xOf(i);
          const top = y(b.succeeded + b.failed);
          return (
            <g key={b.start} data-hour={b.start} data-succeeded={b.succeeded} data-failed={b.failed}>
              {b.succeeded > 0 && (
                <rect
                  class="ok"
                  x={x}
                  y={y(b.succeeded)}
                  width={barW}
                  height={m.top + plotH - y(b.succeeded)}
                />
              )}
              {b.failed > 0 && (
                <rect class="failed" x={x} y={top} width={barW} height={y(b.succeeded) - top} />
              )}
              {i % 6 === 0 && (
                <text class="tick" x={x + barW / 2} y={H - m.bottom + 16} text-anchor="middle">
                  {hourLabel.format(new Date(b.start))}
                </text>
              )}
            </g>
          );
        })}
        {segments.map((points) =>
          points.length === 1 ? (
            <circle
              key={points[0]}
              class="p95-line"
              cx={points[0]?.split(',')[0]}
              cy={points[0]?.split(',')[1]}
              r={2.5}
            />
          ) : (
            <polyline key={points.join(' ')} class="p95-line" points={points.join(' ')} />
          ),
        )}
        <line class="axis" x1={m.left} x2={W - m.right} y1={m.top + plotH} y2={m.top + plotH} />
        <text class="axis-label" x={m.left} y={m.top - 4} text-anchor="start">
          Deliveries
        </text>
        <text class="axis-label p95" x={W - m.right} y={m.top - 4} text-anchor="end">
          p95 attempt
        </text>
        <text class="axis-label" x={m.left + plotW / 2} y={H - 4} text-anchor="middle">
          Hour
        </text>
      </svg>
      <figcaption class="legend" aria-hidden="true">
        <span class="swatch ok" /> Succeeded <span class="swatch failed" /> Failed <span class="swatch p95" />{' '}
        p95 attempt duration
      </figcaption>
    </figure>
  );
}
