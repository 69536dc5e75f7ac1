import { describe, expect, test } from 'vitest';
import { blockedReason } from '../../src/dispatch/address-guard.js';

// [address, class named at the start of the reason, embedded IPv4 the reason should name (if any)]
const BLOCKED: [string, string, string?][] = [
  // loopback
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
  ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
  ['0:0:0:0:0:ffff:7f00:0001', 'loopback', '127.0.0.1'],
  ['::FFFF:7F00:1', 'loopback', '127.0.0.1'],
  ['::127.0.0.1', 'loopback', '127.0.0.1'], // IPv4-compatible
  ['::ffff:0:127.0.0.1', 'loopback', '127.0.0.1'], // IPv4-translated
  ['64:ff9b::7f00:1', 'loopback', '127.0.0.1'], // NAT64
  ['2002:7f00:1::', 'loopback', '127.0.0.1'], // 6to4
  // private
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.1', 'private'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
  ['::ffff:a00:1', 'private', '10.0.0.1'],
  ['64:ff9b::192.168.0.1', 'private', '192.168.0.1'],
  ['2002:c0a8:101::1', 'private', '192.168.1.1'],
  ['fec0::1', 'private'],
  ['64:ff9b:1::a00:1', 'private'],
  // link-local
  ['169.254.0.1', 'link-local'],
  ['169.254.255.255', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  // cloud metadata
  ['169.254.169.254', 'cloud metadata'],
  ['fd00:ec2::254', 'cloud metadata'],
  ['100.100.100.200', 'cloud metadata'],
  ['192.0.0.192', 'cloud metadata'],
  ['64:ff9b::a9fe:a9fe', 'cloud metadata', '169.254.169.254'],
  ['::ffff:169.254.169.254', 'cloud metadata', '169.254.169.254'],
  ['2002:a9fe:a9fe::', 'cloud metadata', '169.254.169.254'],
  // CGNAT
  ['100.64.0.1', 'CGNAT'],
  ['100.127.255.254', 'CGNAT'],
  // multicast
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  // unspecified
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:0', 'unspecified'],
  ['::ffff:0.0.0.0', 'unspecified', '0.0.0.0'],
  // broadcast, reserved, benchmarking, documentation
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['250.1.2.3', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['100::1', 'reserved'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
  ['4000::1', 'reserved'], // outside 2000::/3 global unicast
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['2001:2::1', 'benchmarking'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['2001:db8::1', 'documentation'],
];

const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '100.63.255.255', // just below CGNAT
  '100.128.0.0', // just above CGNAT
  '172.15.255.255',
  '172.32.0.0',
  '169.253.255.255',
  '198.17.255.255',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '64:ff9b::8.8.8.8', // NAT64 of a public address
  '2002:808:808::1', // 6to4 of a public address
];

describe('blockedReason', () => {
  test.concurrent.each(BLOCKED)('%s is refused as %s', async (ip, cls, embedded) => {
    const reason = blockedReason(ip, []);
    expect(reason).not.toBeNull();
    expect(reason?.startsWith(`${cls} address `)).toBe(true);
    // The reason names the address actually judged: the embedded IPv4 for IPv6 forms that carry one.
    expect(reason).toContain(embedded ?? ip);
  });

  test.concurrent.each(PUBLIC)('%s is allowed', async (ip) => {
    expect(blockedReason(ip, [])).toBeNull();
  });

  test.concurrent('names the class and the address in the reason', async () => {
    expect(blockedReason('127.0.0.1', [])).toBe('loopback address 127.0.0.1');
    expect(blockedReason('10.1.2.3', [])).toBe('private address 10.1.2.3');
    expect(blockedReason('::ffff:7f00:1', [])).toBe(
      'loopback address 127.0.0.1 (embedded in IPv4-mapped address ::ffff:7f00:1)',
    );
  });

  test.concurrent('refuses anything that is not an IP address (fails closed)', async () => {
    for (const text of ['', 'localhost', 'example.com', '127.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433']) {
      expect(blockedReason(text, []), text).toMatch(/^invalid address/);
    }
    for (const text of [
      '1.2.3.4.5',
      '256.0.0.1',
      '1::2::3',
      ':1',
      '1:',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      'g::1',
    ]) {
      expect(blockedReason(text, []), text).toMatch(/^invalid address/);
    }
    // '::' compressing zero groups is not allowed to exceed eight groups
    expect(blockedReason('1:2:3:4::5:6:7:8', [])).toMatch(/^invalid address/);
  });

  test.concurrent('the allow-list exempts exactly the listed ranges', async () => {
    const allowed = ['127.0.0.0/8', '10.1.0.0/16', 'fd00:1::/32'];
    expect(blockedReason('127.0.0.1', allowed)).toBeNull();
    expect(blockedReason('127.200.3.4', allowed)).toBeNull();
    expect(blockedReason('10.1.255.255', allowed)).toBeNull();
    expect(blockedReason('fd00:1:ffff::1', allowed)).toBeNull();
    // ::ffff:a.b.c.d is the same destination as a.b.c.d
    expect(blockedReason('::ffff:127.0.0.1', allowed)).toBeNull();

    expect(blockedReason('10.2.0.1', allowed)).toMatch(/^private address/);
    expect(blockedReason('10.0.255.255', allowed)).toMatch(/^private address/);
    expect(blockedReason('fd00:2::1', allowed)).toMatch(/^private address/);
    expect(blockedReason('::1', allowed)).toMatch(/^loopback address/); // IPv4 loopback range does not cover ::1
    expect(blockedReason('169.254.169.254', allowed)).toMatch(/^cloud metadata address/);
    expect(blockedReason('192.168.0.1', allowed)).toMatch(/^private address/);
    // NAT64/6to4 forms are other destinations (a translator), so an IPv4 range does not exempt them
    expect(blockedReason('64:ff9b::7f00:1', allowed)).toMatch(/^loopback address/);

    expect(blockedReason('::1', ['::1/128'])).toBeNull();
    expect(blockedReason('169.254.169.254', ['169.254.169.254/32'])).toBeNull();
    expect(blockedReason('169.254.169.253', ['169.254.169.254/32'])).toMatch(/^link-local address/);
    expect(blockedReason('10.0.0.1', ['10.0.0.1'])).toBeNull(); // a bare address is a /32
    expect(blockedReason('10.0.0.1', ['not-a-cidr', '10.0.0.0/33'])).toMatch(/^private address/);
    expect(blockedReason('8.8.8.8', ['10.0.0.0/8'])).toBeNull();
  });

  test.concurrent('odd prefix lengths are matched bit-exactly', async () => {
    expect(blockedReason('172.16.0.0', [])).toMatch(/^private/);
    expect(blockedReason('172.31.255.255', [])).toMatch(/^private/);
    expect(blockedReason('100.64.0.0', ['100.96.0.0/11'])).toMatch(/^CGNAT/);
    expect(blockedReason('100.96.0.0', ['100.96.0.0/11'])).toBeNull();
    expect(blockedReason('fe80::1', ['fe80::/9'])).toBeNull();
    expect(blockedReason('fec0::1', ['fe80::/10'])).toMatch(/^private/);
  });
});
