import { noticeOf } from 'src/integrations/test-notice';
import { buildSlackMessage, RESOLVED_COLOUR, SEVERITY_COLOUR, SLACK_LIMITS, type SlackBlock } from 'src/integrations/slack/slack-message';

const texts = (blocks: SlackBlock[]): { text: string; max: number }[] =>
  blocks.flatMap((block): { text: string; max: number }[] =>
    block.type === 'header'
      ? [{ text: block.text.text, max: SLACK_LIMITS.headerText }]
      : block.type === 'section'
        ? [
            ...(block.text ? [{ text: block.text.text, max: SLACK_LIMITS.sectionText }] : []),
            ...(block.fields ?? []).map((field) => ({ text: field.text, max: SLACK_LIMITS.fieldText })),
          ]
        : block.type === 'context'
          ? block.elements.map((element) => ({ text: element.text, max: SLACK_LIMITS.sectionText }))
          : block.elements.map((button) => ({ text: button.text.text, max: SLACK_LIMITS.buttonText })),
  );

describe('buildSlackMessage (Slack Block Kit)', () => {
  it('shows title, severity emoji and colour, model, value and a dashboard link when PUBLIC_URL is set', () => {
    const message = buildSlackMessage(noticeOf(), { publicUrl: 'https://mw.example.com/' });
    const [attachment] = message.attachments;
    expect(attachment.color).toBe(SEVERITY_COLOUR.critical);
    const [header, details] = attachment.blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: ':red_circle: Firing: accuracy < 0.8', emoji: true } });
    expect(details.type === 'section' && details.fields?.map((field) => field.text)).toEqual([
      '*Severity*\ncritical',
      '*Model*\nchurn-model',
      '*Value*\n0.723457',
      '*Type*\nmetric_threshold',
      '*metric*\naccuracy',
      '*environment*\nproduction',
    ]);
    expect(attachment.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in ModelWatch' },
          url: 'https://mw.example.com/ui/alerts?alertId=0b9c7f8e-3f1a-4c2d-9e8b-7a6d5c4b3a21&modelId=6a1f4a52-8c43-4b8e-9d0e-2b1f0c7e9a11',
        },
      ],
    });
    expect(message.text).toBe('Firing: accuracy < 0.8 (critical)');
  });

  it('has no link without PUBLIC_URL, escapes mrkdwn, and turns green when resolved', () => {
    const message = buildSlackMessage(noticeOf({ message: 'a < b & c > d', resolvedAt: '2026-12-01T11:00:00.000Z' }, 'resolved'), {
      publicUrl: null,
    });
    const [attachment] = message.attachments;
    expect(attachment.color).toBe(RESOLVED_COLOUR);
    expect(attachment.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(attachment.blocks).toContainEqual({ type: 'section', text: { type: 'mrkdwn', text: 'a &lt; b &amp; c &gt; d' } });
    expect(attachment.blocks[0].type === 'header' && attachment.blocks[0].text.text).toMatch(/^:white_check_mark: Resolved/);
  });

  it('truncates every text to its Block Kit limit instead of failing, and keeps within the block and field counts', () => {
    const huge = 'x'.repeat(10_000);
    const labels = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`label${index}`, huge]));
    const message = buildSlackMessage(noticeOf({ title: huge, message: huge, labels: { ...labels, metric: huge, environment: huge } }), {
      publicUrl: `https://mw.example.com/${'p'.repeat(4000)}`,
    });
    const blocks = message.attachments[0].blocks;
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const { text, max } of texts(blocks)) expect(text.length).toBeLessThanOrEqual(max);
    const section = blocks[1];
    expect(section.type === 'section' && section.fields!.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
    expect(blocks[0].type === 'header' && blocks[0].text.text.endsWith('…')).toBe(true);
    // a link longer than a button URL may be is left out rather than sent and refused
    expect(blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('names no model for an alert of none', () => {
    const notice = { ...noticeOf({ modelId: null }), model: null };
    const details = buildSlackMessage(notice, { publicUrl: null }).attachments[0].blocks[1];
    expect(details.type === 'section' && details.fields?.[1].text).toBe('*Model*\nnone');
  });
});
