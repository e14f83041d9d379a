import { AlertType } from 'src/alerts/alert.enums';
import { InhibitionReason } from 'src/alerts/silence.enums';
import { inhibitionSettings, retrainInhibitions } from 'src/drift/retrain-inhibition.policy';

const now = new Date('2026-03-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const defaults = inhibitionSettings(null);

describe('retrain inhibition', () => {
  it('defaults to inhibiting during retraining and for 60 minutes after a reference replacement', () => {
    expect(defaults).toEqual({ inhibitDuringRetrain: true, referenceGraceMinutes: 60 });
  });

  it('holds back drift and degradation alerts while a run is active, with the run id', () => {
    for (const type of [AlertType.DataDrift, AlertType.PerformanceDegradation]) {
      expect(retrainInhibitions({ type, settings: defaults, activeRunId: 'run-1', referenceReplacedAt: null, now })).toEqual([
        { reason: InhibitionReason.TrainingRun, trainingRunId: 'run-1', until: null },
      ]);
    }
  });

  it('never holds back other alert types', () => {
    for (const type of [AlertType.MetricThreshold, AlertType.RetrainFailed, AlertType.Custom]) {
      expect(retrainInhibitions({ type, settings: defaults, activeRunId: 'run-1', referenceReplacedAt: minutesAgo(1), now })).toEqual([]);
    }
  });

  it('holds back until referenceGraceMinutes after the replacement (exclusive), and not at all when 0', () => {
    const input = { type: AlertType.DataDrift, settings: defaults, activeRunId: null, now };
    expect(retrainInhibitions({ ...input, referenceReplacedAt: minutesAgo(59) })).toEqual([
      { reason: InhibitionReason.ReferenceReplaced, trainingRunId: null, until: '2026-03-01T12:01:00.000Z' },
    ]);
    expect(retrainInhibitions({ ...input, referenceReplacedAt: minutesAgo(60) })).toEqual([]);
    const off = { inhibitDuringRetrain: true, referenceGraceMinutes: 0 };
    expect(retrainInhibitions({ ...input, settings: off, referenceReplacedAt: minutesAgo(1) })).toEqual([]);
  });

  it('ignores active runs when inhibitDuringRetrain is off', () => {
    const settings = { inhibitDuringRetrain: false, referenceGraceMinutes: 60 };
    expect(retrainInhibitions({ type: AlertType.DataDrift, settings, activeRunId: 'run-1', referenceReplacedAt: null, now })).toEqual([]);
  });
});
