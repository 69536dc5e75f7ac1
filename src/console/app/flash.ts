import { href, type Route } from './router.js';

/**
 * A message one page leaves for the next (after a redirect): shown once, on the page it was left
 * for, then gone; any other page that opens first drops it, so it never turns up later, elsewhere.
 */

export interface Flash {
  kind: 'success' | 'warning';
  text: string;
  /** A webhook's signing secret, shown once after createWebhook. */
  signingSecret?: string;
  /** What the save saved but warned about (FieldWarning: a path and a message). */
  warnings?: { path: string[]; message: string }[];
}

let pending: { flash: Flash; for: string } | null = null;

/** Leaves `flash` for the page at `route` (the one about to be opened). */
export function setFlash(flash: Flash, route: Route): void {
  pending = { flash, for: href(route) };
}

/** The flash left for the page at `route` (null: none, or it was left for another page: dropped). */
export function takeFlash(route: Route | null): Flash | null {
  const taken = pending;
  pending = null;
  return taken && route && taken.for === href(route) ? taken.flash : null;
}
