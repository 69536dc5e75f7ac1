import { randomBytes } from 'node:crypto';

// Crockford base32: ids sort by creation time as plain strings, in SQLite and MongoDB alike.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export const ID_PREFIXES = {
  Webhook: 'wh',
  Event: 'evt',
  Invocation: 'inv',
  ApiKey: 'key',
  Account: 'acct',
  OperationalEvent: 'opev',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

let lastTime = 0;
let lastRandom: number[] = [];

/** A time-ordered id (48-bit ms timestamp + 80 random bits), monotonic within one process. */
export function newId(kind: IdKind): string {
  const now = Date.now();
  let random: number[];
  if (now <= lastTime) {
    random = incrementBase32(lastRandom);
  } else {
    const bytes = randomBytes(16);
    random = Array.from({ length: 16 }, (_, i) => (bytes[i] ?? 0) & 31);
    lastTime = now;
  }
  lastRandom = random;
  let time = '';
  let t = lastTime;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${ID_PREFIXES[kind]}_${time}${random.map((d) => ALPHABET[d]).join('')}`;
}

function incrementBase32(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const d = next[i] ?? 0;
    if (d < 31) {
      next[i] = d + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

const ID_PATTERN = /^([a-z]+)_[0-9a-hjkmnp-tv-z]{26}$/;

/** The kind of object an id names, or null when it is not one of ours. */
export function idKind(id: string): IdKind | null {
  const match = ID_PATTERN.exec(id);
  if (!match) return null;
  for (const [kind, prefix] of Object.entries(ID_PREFIXES)) {
    if (prefix === match[1]) return kind as IdKind;
  }
  return null;
}

export function isIdOf(kind: IdKind, id: string): boolean {
  return idKind(id) === kind;
}
