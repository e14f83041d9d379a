import { Injectable } from '@nestjs/common';
import { signatureHeader } from 'src/alerts/webhook.policy';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 500;

export interface WebhookMessage {
  url: string;
  secret: string | null;
  deliveryId: string;
  event: string;
  /** The exact bytes that are signed and sent. */
  body: string;
}

export interface WebhookAttemptResult {
  /** The receiver's status; null when it did not answer (network error, timeout). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** One HTTP POST of a webhook (global fetch with a timeout; redirects are not followed: a 3xx counts as a refusal). */
@Injectable()
export class WebhookSender {
  async send(message: WebhookMessage): Promise<WebhookAttemptResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'ModelWatch-Webhook/1',
      'x-modelwatch-event': message.event,
      'x-modelwatch-delivery': message.deliveryId,
    };
    if (message.secret !== null) headers['x-modelwatch-signature'] = signatureHeader(message.secret, message.body);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(message.url, {
        method: 'POST',
        headers,
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      const text = await response.text().catch(() => '');
      const ok = response.status >= 200 && response.status < 300;
      const error = ok ? null : truncate(`HTTP ${response.status}${text ? `: ${text}` : ''}`);
      return { statusCode: response.status, error, durationMs: elapsed() };
    } catch (error) {
      return { statusCode: null, error: truncate(describeFetchError(error)), durationMs: elapsed() };
    }
  }
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/** fetch wraps the useful part (ECONNREFUSED, timeout) in `cause`. */
function describeFetchError(error: unknown): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure?.name === 'TimeoutError') return `no answer within ${WEBHOOK_TIMEOUT_MS} ms`;
  const cause = failure?.cause;
  if (cause?.code || cause?.message) return [cause.code, cause.message].filter(Boolean).join(': ');
  return failure?.message ?? String(error);
}
