import { lookup } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { addressLiteral, refusalReason } from 'src/alerts/webhook-address.policy';
import { invalidField } from 'src/common/errors/domain-error';
import { securityConfig, type SecurityConfig } from 'src/config/configuration';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS for webhook hosts (the system resolver); a provider so tests can stand in for a rebinding DNS server. */
@Injectable()
export class HostResolver {
  async resolve(hostName: string): Promise<ResolvedAddress[]> {
    const answers = await lookup(hostName, { all: true, verbatim: true });
    return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
  }
}

export type WebhookTarget = { allowed: true; url: URL; address: string; family: 4 | 6 } | { allowed: false; reason: string };

/**
 * The SSRF check every outgoing webhook goes through (alert channels, pipeline webhooks, any new kind):
 * resolve the host, refuse when any answer is a forbidden address (unless WEBHOOK_ALLOWED_HOSTS allows it),
 * and hand back the checked address, which the sender connects to — no second lookup, so DNS rebinding between
 * check and connect cannot happen.
 */
@Injectable()
export class WebhookAddressGuard {
  constructor(
    private readonly resolver: HostResolver,
    @Inject(securityConfig.KEY) private readonly config: SecurityConfig,
  ) {}

  /** At delivery: the address to connect to, or why not. A DNS failure throws (the caller retries). */
  async resolveTarget(rawUrl: string): Promise<WebhookTarget> {
    const url = new URL(rawUrl);
    const literal = addressLiteral(url.hostname);
    const answers: ResolvedAddress[] = literal
      ? [{ address: literal, family: literal.includes(':') ? 6 : 4 }]
      : await this.resolver.resolve(url.hostname);
    if (answers.length === 0) throw new Error(`${url.hostname} has no address`);
    for (const answer of answers) {
      const reason = refusalReason(url.hostname, answer.address, this.config.webhookAllowList);
      if (reason) return { allowed: false, reason };
    }
    return { allowed: true, url, address: answers[0].address, family: answers[0].family };
  }

  /**
   * At creation or change: a 400 naming `field` when the URL's host is, or resolves to, a forbidden address.
   * A name that does not resolve now is accepted (it is checked again at every delivery).
   */
  async assertAllowedUrl(rawUrl: string, field: string): Promise<void> {
    let target: WebhookTarget;
    try {
      target = await this.resolveTarget(rawUrl);
    } catch {
      return;
    }
    if (!target.allowed) throw invalidField(field, `refused: ${target.reason}`);
  }
}
