import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>`,
 * one entry per active secret (during a rotation both the new and the old secret sign).
 */
export function signatureHeaders(input: {
  messageId: string;
  timestampSeconds: number;
  body: string;
  secrets: string[];
}): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const signed = `${input.messageId}.${input.timestampSeconds}.${input.body}`;
  const signatures = input.secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
    return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  });
  return {
    'webhook-id': input.messageId,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
}
