import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { idKind, newId } from '../../src/domain/ids.js';
import { maskSecret, newSigningSecret, SecretBox } from '../../src/domain/secrets.js';

describe('secrets at rest', () => {
  const box = new SecretBox(randomBytes(32));

  test('round-trips, with a fresh IV each time and no plaintext in the ciphertext', () => {
    const a = box.encrypt('Bearer top-secret-token', 'acct_1');
    const b = box.encrypt('Bearer top-secret-token', 'acct_1');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain('top-secret');
    expect(box.decrypt(a, 'acct_1')).toBe('Bearer top-secret-token');
    expect(a.masked).toBe('••••oken');
  });

  test('a ciphertext is bound to its account and its key, and tampering is detected', () => {
    const sealed = box.encrypt('value-123456789', 'acct_1');
    expect(() => box.decrypt(sealed, 'acct_2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).decrypt(sealed, 'acct_1')).toThrow();
    const parts = sealed.ciphertext.split('.');
    const data = Buffer.from(parts[3] as string, 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => box.decrypt({ ...sealed, ciphertext: parts.join('.') }, 'acct_1')).toThrow();
  });

  test('short secrets are masked entirely', () => {
    expect(maskSecret('abc')).toBe('••••');
    expect(maskSecret('12345678901')).toBe('••••');
    expect(maskSecret('123456789012')).toBe('••••9012');
  });

  test('signing secrets follow the Standard Webhooks whsec_ format', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBe(24);
  });
});

describe('ids', () => {
  test('are prefixed by kind, unique and time-ordered as strings', () => {
    const ids = Array.from({ length: 2000 }, () => newId('Webhook'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(idKind(ids[0] as string)).toBe('Webhook');
    expect(idKind(newId('Invocation'))).toBe('Invocation');
    expect(idKind('wh_short')).toBeNull();
    expect(idKind('zz_01m8h09x3tbke1gfh41hny1rqr')).toBeNull();
  });
});
