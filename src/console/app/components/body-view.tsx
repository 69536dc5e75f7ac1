import { prettyBody } from '../format.js';

/**
 * A request, response or rendered body (JSON pretty-printed). It scrolls when long, so it is a named
 * region the keyboard can reach (Tab to it, then the arrow keys scroll it) and screen readers can
 * find by its name.
 */
export function BodyView({ label, text }: { label: string; text: string }) {
  return (
    <section class="body-region" aria-label={label}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard */}
      <pre class="body" tabIndex={0}>
        {prettyBody(text)}
      </pre>
    </section>
  );
}
