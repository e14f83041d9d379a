import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { WebhookAddressGuard } from 'src/alerts/webhook-address-guard';
import { signWebhook } from 'src/alerts/webhook-signature.policy';
import { Secrets } from 'src/common/secrets/secrets.service';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 500;
const MAX_RESPONSE_BYTES = 4096;
/** The prefix of an attempt's error when the address check refused the target (no connection was made). */
export const BLOCKED_ADDRESS = 'blocked_address';

export interface WebhookMessage {
  url: string;
  /** The secret as stored (sealed), or null for an unsigned message; opened here, just before signing. */
  secret: string | null;
  /** `webhook-id`: the delivery id, the same on every retry. */
  deliveryId: string;
  event: string;
  /** The exact bytes that are signed and sent. */
  body: string;
  /** Extra headers (a new channel kind's own); the signature headers always win. */
  headers?: Record<string, string>;
}

export interface WebhookAttemptResult {
  /** The receiver's status; null when it did not answer (network error, timeout, blocked address). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** True when retrying cannot help (the address is forbidden). */
  permanent?: boolean;
}

/**
 * One HTTP POST of a webhook, the only way the service calls out. The host is resolved and checked
 * (WebhookAddressGuard) and the connection goes to exactly the checked address; redirects are not followed
 * (a 3xx counts as a refusal); every message is signed by signWebhook (Standard Webhooks + legacy header).
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly guard: WebhookAddressGuard,
    private readonly secrets: Secrets,
  ) {}

  async send(message: WebhookMessage): Promise<WebhookAttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const target = await this.guard.resolveTarget(message.url);
      if (!target.allowed) {
        return { statusCode: null, error: truncate(`${BLOCKED_ADDRESS}: ${target.reason}`), durationMs: elapsed(), permanent: true };
      }
      const secret = this.secrets.open(message.secret);
      const headers: Record<string, string> = {
        ...message.headers,
        'content-type': 'application/json',
        'user-agent': 'ModelWatch-Webhook/1',
        'x-modelwatch-event': message.event,
        'x-modelwatch-delivery': message.deliveryId,
        ...(secret === null
          ? { 'webhook-id': message.deliveryId }
          : signWebhook({ id: message.deliveryId, timestamp: Math.floor(Date.now() / 1000), body: message.body, secret })),
      };
      const response = await post(target.url, target.address, target.family, headers, message.body);
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      const error = ok ? null : truncate(`HTTP ${response.statusCode}${response.text ? `: ${response.text}` : ''}`);
      return { statusCode: response.statusCode, error, durationMs: elapsed() };
    } catch (error) {
      return { statusCode: null, error: truncate(describeError(error)), durationMs: elapsed() };
    }
  }
}

/** POSTs to `url`, connecting to `address` (already checked) whatever DNS says now; TLS still verifies the URL's host name. */
function post(
  url: URL,
  address: string,
  family: 4 | 6,
  headers: Record<string, string>,
  body: string,
): Promise<{ statusCode: number; text: string }> {
  // net may ask for all addresses (autoSelectFamily); either way it only ever gets the checked one
  const pinned = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address, family }]) : callback(null, address, family)) as unknown as LookupFunction;
  const options: RequestOptions = {
    method: 'POST',
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup: pinned,
    agent: false,
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(options, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () =>
        resolve({ statusCode: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

function describeError(error: unknown): string {
  const failure = error as { name?: string; message?: string; code?: string };
  if (failure?.name === 'AbortError' || failure?.name === 'TimeoutError') return `no answer within ${WEBHOOK_TIMEOUT_MS} ms`;
  if (failure?.code || failure?.message) return [failure.code, failure.message].filter(Boolean).join(': ');
  return String(error);
}
