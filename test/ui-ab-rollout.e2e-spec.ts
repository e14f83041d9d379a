/**
 * The A/B test page of a safe rollout in a real browser (Debian's Chromium via playwright-core) against the real
 * service: the rollout card shows the step, coverage, guardrails and transitions GET /ab-test/{id}/rollout returns;
 * an experiment's page has no such card. Screenshots go to test-artifacts/screenshots/ (git-ignored).
 */
import { screenshot, settled } from 'test/support/browser';
import { type DashboardApp, signedInTab, startDashboardApp } from 'test/support/dashboard-app';
import type { TestApp } from 'test/support/test-app';
import type { ApiCaller } from 'test/support/ui-seed';

jest.setTimeout(240_000);

const WRITER = { name: 'ops-writer', scope: 'write' as const, secret: 'writer-secret-0123456789abcdef' };
const METRICS = [
  { name: 'conversion', role: 'primary', type: 'binomial' },
  { name: 'latency_ms', role: 'guardrail', type: 'continuous', direction: 'lower_is_better', tolerance: 0.02 },
];
const RAMP = { steps: [0.1, 0.5, 1], minStepDurationSeconds: 600, minSamplesPerStep: 50, noTrafficAfterSeconds: 300 };

interface Rollout {
  state: string;
  stepIndex: number;
  coverage: number;
  steps: number[];
  challenger: { stepCount: number };
  guardrails: Array<{ name: string; failed: boolean }>;
  events: Array<{ kind: string; coverage: number }>;
}

let app: DashboardApp;
let testApp: TestApp;
let origin: string;
let api: ApiCaller;

beforeAll(async () => {
  app = await startDashboardApp([WRITER]);
  ({ testApp, origin, api } = app);
});

afterAll(() => app?.close());

/** Units per variant: conversion at 10 % in both, latency 100 ± 10 in both (no guardrail harm). */
async function recordUnits(testId: string, counts: [number, number]): Promise<void> {
  const names = ['champion', 'challenger'];
  await api('POST', `/ab-test/${testId}/observations`, {
    metric: 'conversion',
    aggregates: names.map((variant, index) => ({ variant, count: counts[index], sum: Math.round(counts[index] / 10) })),
  });
  await api('POST', `/ab-test/${testId}/observations`, {
    metric: 'latency_ms',
    aggregates: names.map((variant, index) => ({
      variant,
      count: counts[index],
      sum: counts[index] * 100,
      sumSquares: counts[index] * 100 * 100 + (counts[index] - 1) * 100,
    })),
  });
}

describe('A/B test page of a safe rollout (Chromium)', () => {
  it('shows the step, coverage, guardrails and every transition of a rollout, and no rollout card for an experiment', async () => {
    testApp.clock.set('2026-12-02T08:00:00.000Z');
    const model = await api<{ id: string }>('POST', '/models', { name: `rollout-ui-${Date.now()}` });
    const test = await api<{ id: string }>('POST', '/ab-test/start', {
      name: 'Ranker v2 safe rollout',
      modelId: model.id,
      mode: 'rollout',
      metrics: METRICS,
      variants: [
        { name: 'champion', modelVersion: 'v1', weight: 1 },
        { name: 'challenger', modelVersion: 'v2', weight: 1 },
      ],
      rollout: RAMP,
    });
    await recordUnits(test.id, [100, 100]);
    testApp.clock.advance(601_000);
    await api('POST', `/ab-test/${test.id}/rollout/evaluate`);
    await recordUnits(test.id, [300, 300]);
    const rollout = await api<Rollout>('GET', `/ab-test/${test.id}/rollout`);
    expect(rollout).toMatchObject({ state: 'ramping', stepIndex: 1, coverage: 0.5 });
    expect(rollout.events.map((event) => event.kind)).toEqual(['started', 'step']);

    const experiment = await api<{ id: string }>('POST', '/ab-test/start', {
      name: 'Plain experiment',
      modelId: model.id,
      primaryMetric: 'accuracy',
      metricType: 'binary',
      variants: [
        { name: 'control', weight: 1 },
        { name: 'treatment', weight: 1 },
      ],
    });

    for (const viewport of [
      { name: 'desktop', width: 1440, height: 900 },
      { name: 'phone', width: 390, height: 844 },
    ]) {
      const { context, tab } = await signedInTab(app, WRITER.secret, viewport);
      await tab.page.goto(`${origin}/ui/ab-tests/${test.id}`);
      await settled(tab.page);
      const panel = tab.page.locator('[data-panel="rollout"]');
      expect(await panel.getAttribute('data-rollout-state')).toBe('ramping');
      expect(await panel.locator('[data-stat="rollout-step"] .stat-value').textContent()).toBe(`2 of ${rollout.steps.length}`);
      expect(await panel.locator('[data-stat="rollout-coverage"] .stat-value').textContent()).toBe('50%');
      expect(await panel.locator('[data-stat="rollout-step-count"] .stat-value').textContent()).toBe(
        rollout.challenger.stepCount.toLocaleString('en-US'),
      );
      const events = panel.locator('[data-table="rollout-events"] tbody tr');
      expect(await events.count()).toBe(rollout.events.length);
      expect(await events.nth(1).textContent()).toContain('Step');
      const guardrails = panel.locator('[data-table="rollout-guardrails"] tbody tr');
      expect(await guardrails.count()).toBe(1);
      expect(await guardrails.first().textContent()).toContain('latency_ms');
      expect(await guardrails.first().textContent()).toContain('OK');
      await screenshot(tab.page, `ab-test-rollout-${viewport.name}`);
      await screenshot(tab.page, `ab-test-rollout-panel-${viewport.name}`, 'section:has([data-panel="rollout"])');

      await tab.page.goto(`${origin}/ui/ab-tests/${experiment.id}`);
      await settled(tab.page);
      await tab.page.locator('[data-page="ab-test"]').waitFor();
      expect(await tab.page.locator('[data-panel="rollout"]').count()).toBe(0);
      expect(tab.consoleErrors).toEqual([]);
      expect(tab.foreignRequests).toEqual([]);
      await context.close();
    }
  });
});
