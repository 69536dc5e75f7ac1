/** A message one page leaves for the next (after a redirect): shown once, then gone. */

export interface Flash {
  kind: 'success' | 'warning';
  text: string;
  /** A webhook's signing secret, shown once after createWebhook. */
  signingSecret?: string;
  /** What the save saved but warned about (FieldWarning: a path and a message). */
  warnings?: { path: string[]; message: string }[];
}

let pending: Flash | null = null;

export function setFlash(flash: Flash): void {
  pending = flash;
}

export function takeFlash(): Flash | null {
  const flash = pending;
  pending = null;
  return flash;
}
