import { DataSource } from 'typeorm';
import { MetricMaintenanceService } from 'src/metrics/metric-maintenance.service';
import { createModel } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

jest.setTimeout(120_000);

describe('retention of drift-check feature results (RETENTION_DRIFT_DAYS)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    process.env.RETENTION_DRIFT_DAYS = '30';
    testApp = await createTestApp();
    delete process.env.RETENTION_DRIFT_DAYS;
  });
  afterAll(() => testApp.close());

  /** A stored drift check with `features` feature results, as the drift service writes them. */
  async function storeCheck(modelId: string, checkedAt: string, features: number): Promise<string> {
    const dataSource = testApp.get(DataSource);
    const [check]: { id: string }[] = await dataSource.query(
      `INSERT INTO model_drift_checks (model_id, checked_at, reference_source, dataset_drift, drift_share, drift_share_threshold,
         number_of_features, number_of_drifted_features)
       VALUES ($1, $2, 'stored', false, 0, 0.5, $3, 0) RETURNING id`,
      [modelId, checkedAt, features],
    );
    for (let position = 0; position < features; position++)
      await dataSource.query(
        `INSERT INTO model_drift_feature_results (check_id, feature_name, position, model_id, checked_at, type, stattest, score, threshold,
           drifted, reference_size, current_size)
         VALUES ($1, $2, $3, $4, $5, 'numerical', 'ks', 0.1, 0.05, false, 100, 100)`,
        [check.id, `f${position}`, position, modelId, checkedAt],
      );
    return check.id;
  }

  const resultsOf = async (checkId: string) =>
    (
      await testApp.get(DataSource).query(`SELECT count(*)::int AS count FROM model_drift_feature_results WHERE check_id = $1`, [checkId])
    )[0].count as number;

  it('deletes feature results older than the cutoff at each maintenance run, keeps newer ones and the checks, and reports it', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2025-06-01T00:00:00Z');
    const old = await storeCheck(model.id, '2025-04-20T00:00:00Z', 3);
    const recent = await storeCheck(model.id, '2025-05-10T00:00:00Z', 2);

    const report = await testApp.get(MetricMaintenanceService).runMaintenance();

    expect(report.deleted.tasks.driftFeatureResults).toBeGreaterThanOrEqual(3);
    expect(await resultsOf(old)).toBe(0);
    expect(await resultsOf(recent)).toBe(2);
    const [checks] = await testApp
      .get(DataSource)
      .query(`SELECT count(*)::int AS count FROM model_drift_checks WHERE model_id = $1`, [model.id]);
    expect(checks.count).toBe(2);

    // 30 days later the second check's results go too.
    testApp.clock.set('2025-06-10T00:00:01Z');
    await testApp.get(MetricMaintenanceService).runMaintenance();
    expect(await resultsOf(recent)).toBe(0);
  });
});
