/**
 * The one signing function of every outgoing webhook (alert channels, the retrain pipeline webhook, and any
 * later kind): Standard Webhooks v1 (https://www.standardwebhooks.com, spec "Signature scheme") plus the
 * legacy `X-ModelWatch-Signature`. Pure functions, no framework.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Standard Webhooks recommends receivers refuse timestamps further than this from their clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the form Standard Webhooks libraries take). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The HMAC key of a secret: the base64-decoded bytes after `whsec_`, or, for a secret someone chose that
 * lacks the prefix, its UTF-8 bytes (verify those with `new Webhook(secret, { format: 'raw' })`).
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

export interface WebhookToSign {
  /** The delivery id: the same on every retry, so receivers dedupe on it. */
  id: string;
  /** Seconds since the epoch at this attempt. */
  timestamp: number;
  /** The exact bytes sent. */
  body: string;
  secret: string;
}

/**
 * The signature headers of one attempt:
 * - `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>` with `webhook-id` and `webhook-timestamp`;
 * - legacy `x-modelwatch-signature: sha256=<hex HMAC-SHA256(secret as UTF-8, body)>` (RFC 2104), body only, so replayable:
 *   kept for receivers written before the Standard Webhooks headers.
 */
export function signWebhook(webhook: WebhookToSign): Record<string, string> {
  const signed = `${webhook.id}.${webhook.timestamp}.${webhook.body}`;
  const signature = createHmac('sha256', signingKey(webhook.secret)).update(signed, 'utf8').digest('base64');
  return {
    'webhook-id': webhook.id,
    'webhook-timestamp': String(webhook.timestamp),
    'webhook-signature': `v1,${signature}`,
    'x-modelwatch-signature': legacySignature(webhook.secret, webhook.body),
  };
}

/** `X-ModelWatch-Signature` value: `sha256=` + hex HMAC-SHA256(secret, raw body) (RFC 2104). Legacy. */
export function legacySignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
