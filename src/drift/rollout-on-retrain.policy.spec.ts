import { retrainRolloutRequest, templateField } from 'src/drift/rollout-on-retrain.policy';

describe('retrainRolloutRequest', () => {
  const candidate = { modelId: 'm-1', modelName: 'ranker', championVersion: 'v1', candidateVersion: 'v2', trainingRunId: 'run-7' };

  it('rolls the candidate out over the champion, champion first, with the template’s metrics and ramp', () => {
    const metrics = [
      { name: 'conversion', role: 'primary' as const, type: 'binomial' as const },
      {
        name: 'latency_ms',
        role: 'guardrail' as const,
        type: 'continuous' as const,
        direction: 'lower_is_better' as const,
        tolerance: 0.02,
      },
    ];
    const request = retrainRolloutRequest({ metrics, rollout: { steps: [0.5, 1] }, alpha: 0.01 }, candidate);
    expect(request).toEqual({
      mode: 'rollout',
      name: 'ranker v2 rollout',
      modelId: 'm-1',
      description: 'Guarded rollout of v2 (training run run-7) over v1.',
      metrics,
      alpha: 0.01,
      rollout: { steps: [0.5, 1] },
      variants: [
        { name: 'champion', modelVersion: 'v1', weight: 1 },
        { name: 'challenger', modelVersion: 'v2', weight: 1 },
      ],
    });
  });

  it('names a template problem under rolloutOnRetrain', () => {
    expect(templateField('rollout.steps[1]')).toBe('rolloutOnRetrain.rollout.steps[1]');
  });
});
