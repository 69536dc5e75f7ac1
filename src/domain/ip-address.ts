/**
 * Which IP addresses deliveries never go to: the SSRF guard's rule (../dispatch/address-guard.ts
 * refuses a connection by it), and the one a webhook's URL is checked by when it names an IP literal
 * (./webhook.ts), so a URL refused at save is exactly one the guard would refuse at delivery.
 *
 * Works on bytes (own parser, every textual form: compressed IPv6, mixed dotted tails, zone ids), so
 * `::ffff:7f00:1`, `::ffff:127.0.0.1` and `0:0:0:0:0:ffff:7f00:0001` are all the same loopback address.
 * IPv6 forms that carry an IPv4 address (mapped, compatible, translated, NAT64, 6to4) are judged by it.
 * Anything that does not parse is refused: the guard fails closed.
 */

type Family = 4 | 6;

interface Range {
  family: Family;
  bytes: number[];
  bits: number;
}

export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'CGNAT'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'cloud metadata'
  | 'reserved'
  | 'benchmarking'
  | 'documentation';

function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    // Strict dotted decimal: no octal/hex/leading zeros (those are names to a resolver, never addresses here).
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIPv6(input: string): number[] | null {
  let text = input;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text) return null;

  const side = (part: string, v4TailAllowed: boolean): number[] | null => {
    if (part === '') return [];
    const pieces = part.split(':');
    const groups: number[] = [];
    for (const [i, piece] of pieces.entries()) {
      if (v4TailAllowed && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return null;
        groups.push(
          ((v4[0] as number) << 8) | (v4[1] as number),
          ((v4[2] as number) << 8) | (v4[3] as number),
        );
        continue;
      }
      if (!/^[0-9a-f]{1,4}$/i.test(piece)) return null;
      groups.push(Number.parseInt(piece, 16));
    }
    return groups;
  };

  let groups: number[];
  const gap = text.indexOf('::');
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return null;
    const head = side(text.slice(0, gap), false);
    const tail = side(text.slice(gap + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = side(text, true);
    if (all?.length !== 8) return null;
    groups = all;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parses an IP address (IPv6 may be bracketed and carry a zone id). */
function parseIp(text: string): { family: Family; bytes: number[] } | null {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (t.includes(':')) {
    const bytes = parseIPv6(t);
    return bytes ? { family: 6, bytes } : null;
  }
  const bytes = parseIPv4(t);
  return bytes ? { family: 4, bytes } : null;
}

function parseCidr(text: string): Range | null {
  const [addr, bitsText, extra] = text.trim().split('/');
  if (extra !== undefined || !addr) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { family: ip.family, bytes: ip.bytes, bits };
}

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] as number) & mask) !== ((range.bytes[i] as number) & mask)) return false;
  }
  return true;
}

function table(rows: [string, AddressClass][]): [Range, AddressClass][] {
  return rows.map(([cidr, cls]) => {
    const range = parseCidr(cidr);
    if (!range) throw new Error(`bad built-in range ${cidr}`);
    return [range, cls];
  });
}

// Most specific first: the first match names the class.
const V4_BLOCKED = table([
  ['169.254.169.254/32', 'cloud metadata'], // AWS, GCP, Azure, OpenStack, …
  ['100.100.100.200/32', 'cloud metadata'], // Alibaba
  ['192.0.0.192/32', 'cloud metadata'], // Oracle
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'CGNAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6_BLOCKED = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'cloud metadata'], // AWS IMDS over IPv6
  ['64:ff9b:1::/48', 'private'], // local-use NAT64 (RFC 8215)
  ['100::/64', 'reserved'], // discard-only
  ['2001::/32', 'reserved'], // Teredo
  ['2001:2::/48', 'benchmarking'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
]);

const GLOBAL_UNICAST_V6 = parseCidr('2000::/3') as Range;

const IPV4_MAPPED = parseCidr('::ffff:0:0/96') as Range;

// IPv6 ranges that carry an IPv4 address; [range, where the IPv4 bytes start, name].
const V4_CARRIERS: [Range, number, string][] = [
  [IPV4_MAPPED, 12, 'IPv4-mapped'],
  [parseCidr('::ffff:0:0:0/96') as Range, 12, 'IPv4-translated'],
  [parseCidr('64:ff9b::/96') as Range, 12, 'NAT64'],
  [parseCidr('2002::/16') as Range, 2, '6to4'],
  [parseCidr('::/96') as Range, 12, 'IPv4-compatible'], // after ::/128 and ::1/128 are handled
];

function classifyV4(bytes: number[]): AddressClass | null {
  for (const [range, cls] of V4_BLOCKED) if (inRange(bytes, range)) return cls;
  return null;
}

function formatV4(bytes: number[]): string {
  return bytes.slice(0, 4).join('.');
}

function isAllowed(ip: { family: Family; bytes: number[] }, allowedCidrs: string[]): boolean {
  const mapped = ip.family === 6 && inRange(ip.bytes, IPV4_MAPPED) ? ip.bytes.slice(12) : null;
  for (const text of allowedCidrs) {
    const range = parseCidr(text);
    if (!range) continue;
    if (range.family === ip.family && inRange(ip.bytes, range)) return true;
    // ::ffff:a.b.c.d is the same destination as a.b.c.d, so an IPv4 range covers it too.
    if (mapped && range.family === 4 && inRange(mapped, range)) return true;
  }
  return false;
}

/** Why an address is refused: its class, the IPv4 address judged, and the IPv6 form that carried it. */
export interface AddressVerdict {
  class: AddressClass;
  /** The address whose class it is (an embedded IPv4 address, for the forms that carry one). */
  address: string;
  /** The IPv6 form the IPv4 address came in, e.g. "IPv4-mapped" (absent: the address itself). */
  carrier?: { name: string; address: string };
}

function verdict(parsed: { family: Family; bytes: number[] }, ip: string): AddressVerdict | null {
  if (parsed.family === 4) {
    const cls = classifyV4(parsed.bytes);
    return cls ? { class: cls, address: ip } : null;
  }

  const { bytes } = parsed;
  const direct = V6_BLOCKED.slice(0, 2).find(([range]) => inRange(bytes, range));
  if (direct) return { class: direct[1], address: ip };

  for (const [range, offset, name] of V4_CARRIERS) {
    if (!inRange(bytes, range)) continue;
    const v4 = bytes.slice(offset, offset + 4);
    const cls = classifyV4(v4);
    return cls ? { class: cls, address: formatV4(v4), carrier: { name, address: ip } } : null;
  }

  for (const [range, cls] of V6_BLOCKED) if (inRange(bytes, range)) return { class: cls, address: ip };
  if (!inRange(bytes, GLOBAL_UNICAST_V6)) return { class: 'reserved', address: ip };
  return null;
}

/**
 * Why a connection to `ip` must be refused, e.g. "loopback address 127.0.0.1"; null when it is allowed.
 * Addresses inside one of `allowedCidrs` are always allowed (local development, tests).
 */
export function blockedReason(ip: string, allowedCidrs: string[]): string | null {
  const parsed = parseIp(ip);
  if (!parsed) return `invalid address "${ip}"`;
  if (isAllowed(parsed, allowedCidrs)) return null;
  const found = verdict(parsed, ip);
  if (!found) return null;
  const carried = found.carrier
    ? ` (embedded in ${found.carrier.name} address ${found.carrier.address})`
    : '';
  return `${found.class} address ${found.address}${carried}`;
}

/**
 * For a URL's host (WHATWG `hostname`: IPv4 normalised, IPv6 in brackets): why the guard would refuse
 * every connection to it when it is an IP literal; null for a name (judged when resolved, at
 * delivery), a public address, or one inside `allowedCidrs`.
 */
export function blockedLiteral(hostname: string, allowedCidrs: string[]): AddressVerdict | null {
  const parsed = parseIp(hostname);
  if (!parsed || isAllowed(parsed, allowedCidrs)) return null;
  return verdict(parsed, hostname.replace(/^\[(.*)\]$/, '$1'));
}
