/**
 * Alert → Slack incoming-webhook message (Block Kit). Pure function, no framework.
 * Limits from Slack's Block Kit reference (https://docs.slack.dev/reference/block-kit/blocks): header text
 * plain_text ≤ 150 characters; section text ≤ 3,000; section fields ≤ 10 items of ≤ 2,000 each; context ≤ 10
 * elements; ≤ 50 blocks per message; button text ≤ 75 and url ≤ 3,000. Over-long text is truncated, never refused.
 * The colour bar needs a legacy attachment (`color`), so the blocks go inside one attachment, with `text` as
 * the notification fallback.
 */
import { alertLink, type AlertNotice, formatValue, truncateText } from 'src/integrations/alert-notice';

export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  blocks: 50,
  buttonText: 75,
  buttonUrl: 3000,
  fallbackText: 3000,
} as const;

export const SEVERITY_EMOJI: Record<AlertNotice['alert']['severity'], string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

/** Attachment colours: red, amber, blue while open; green once resolved. */
export const SEVERITY_COLOUR: Record<AlertNotice['alert']['severity'], string> = {
  critical: '#d92d20',
  warning: '#f79009',
  info: '#2e90fa',
};
export const RESOLVED_COLOUR = '#12b76a';

const EVENT_WORD: Record<AlertNotice['event'], string> = {
  firing: 'Firing',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  test: 'Test',
};

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: { type: 'button'; text: SlackText; url: string }[] };

export interface SlackMessage {
  text: string;
  attachments: { color: string; blocks: SlackBlock[] }[];
}

/** Slack mrkdwn needs &, < and > escaped (https://docs.slack.dev/messaging/formatting-message-text#escaping). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function field(label: string, value: string): SlackText {
  return { type: 'mrkdwn', text: truncateText(`*${label}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.fieldText) };
}

export function buildSlackMessage(notice: AlertNotice, options: { publicUrl: string | null }): SlackMessage {
  const { alert } = notice;
  const emoji = notice.event === 'resolved' ? ':white_check_mark:' : SEVERITY_EMOJI[alert.severity];
  const headline = `${emoji} ${EVENT_WORD[notice.event]}: ${alert.title}`;
  const fields = [
    field('Severity', alert.severity),
    field('Model', notice.model?.name ?? 'none'),
    field('Value', formatValue(alert.value)),
    field('Type', alert.type),
    ...['metric', 'environment'].filter((key) => alert.labels[key] !== undefined).map((key) => field(key, alert.labels[key])),
  ].slice(0, SLACK_LIMITS.fields);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncateText(headline, SLACK_LIMITS.headerText), emoji: true } },
    { type: 'section', fields },
  ];
  if (alert.message) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncateText(escapeMrkdwn(alert.message), SLACK_LIMITS.sectionText) } });
  }
  const labels = Object.entries(alert.labels).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncateText(escapeMrkdwn(labels.join(', ')), SLACK_LIMITS.sectionText) }],
    });
  }
  const link = alertLink(options.publicUrl, alert);
  if (link && link.length <= SLACK_LIMITS.buttonUrl) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in ModelWatch' }, url: link }] });
  }
  const colour = notice.event === 'resolved' ? RESOLVED_COLOUR : SEVERITY_COLOUR[alert.severity];
  return {
    text: truncateText(`${EVENT_WORD[notice.event]}: ${alert.title} (${alert.severity})`, SLACK_LIMITS.fallbackText),
    attachments: [{ color: colour, blocks: blocks.slice(0, SLACK_LIMITS.blocks) }],
  };
}
