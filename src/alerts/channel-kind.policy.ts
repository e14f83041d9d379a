/**
 * Which fields each channel kind needs. Pure, no framework: the service asks it about the channel as it
 * will be stored (a creation, or a change merged into the stored channel).
 */
import { ChannelKind } from 'src/alerts/alert.enums';
import type { FieldError } from 'src/common/errors/domain-error';
import { PAGERDUTY_ENQUEUE_URL } from 'src/integrations/pagerduty/pagerduty-event';

export interface ChannelShape {
  kind: ChannelKind;
  url: string | null;
  hasRoutingKey: boolean;
}

/** The URL a channel gets when none is given: PagerDuty's enqueue endpoint for pagerduty, none for the others. */
export function defaultChannelUrl(kind: ChannelKind): string | null {
  return kind === ChannelKind.PagerDuty ? PAGERDUTY_ENQUEUE_URL : null;
}

/** Every field the kind needs and lacks, or has and must not. */
export function channelShapeProblems(shape: ChannelShape): FieldError[] {
  const problems: FieldError[] = [];
  if (shape.url === null) problems.push({ field: 'url', message: `is required for ${shape.kind} channels` });
  if (shape.kind === ChannelKind.PagerDuty && !shape.hasRoutingKey) {
    problems.push({ field: 'routingKey', message: 'is required for pagerduty channels' });
  }
  if (shape.kind !== ChannelKind.PagerDuty && shape.hasRoutingKey) {
    problems.push({ field: 'routingKey', message: `only pagerduty channels take a routing key (this one is ${shape.kind})` });
  }
  return problems;
}
