"""The product story against a live service: MODELWATCH_URL (and MODELWATCH_API_KEY with write+admin scope).
test/python-client.e2e-spec.ts starts the real app on a fresh database and runs this with both set."""
import os
import random
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from modelwatch import (
    AlertStatus,
    Client,
    ConflictError,
    MetricPointDto,
    NotFoundError,
    TrainingRunStatus,
    ValidationError,
)

URL = os.environ.get("MODELWATCH_URL")


@unittest.skipUnless(URL, "set MODELWATCH_URL to run against a live service")
class ProductStoryTest(unittest.TestCase):
    def setUp(self):
        self.client = Client(URL, api_key=os.environ.get("MODELWATCH_API_KEY"))
        self.name = "py-story-%s" % uuid.uuid4().hex[:10]

    def test_the_whole_story(self):
        client = self.client
        model = client.put_model_by_name(self.name, {"taskType": "binary_classification", "owner": "ml"})
        self.assertEqual(client.put_model_by_name(self.name, {}), model)
        with self.assertRaises(ConflictError) as conflict:
            client.create_model({"name": self.name})
        self.assertEqual(conflict.exception.problem["existingModelId"], model.id)

        start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=12)
        points = (
            MetricPointDto(model_name=self.name, metric_name="auc", value=0.9 + 0.001 * (i % 7), recorded_at=start + timedelta(seconds=i * 3))
            for i in range(12_000)
        )
        totals = client.metrics.record_many(points, batch_size=5000)
        self.assertEqual((totals.recorded, totals.duplicates), (12_000, 0))
        trend = client.get_metric_trend(model_id=model.id, metric_name="auc", bucket="1h", from_=start, to=start + timedelta(hours=11))
        self.assertEqual(trend.summary.count, 12_000)
        self.assertIsInstance(trend.from_, datetime)

        reference = [{"name": "age", "values": [random.Random(1).gauss(40, 5) for _ in range(500)]}]
        client.put_reference_data(model.id, {"features": reference})
        client.put_retrain_policy(model.id, {"enabled": True, "onDataDrift": True, "cooldownMinutes": 60})
        drifted = [{"name": "age", "values": [random.Random(2).gauss(55, 5) for _ in range(500)]}]
        check = client.check_drift({"modelName": self.name, "current": {"features": drifted}})
        self.assertTrue(check.dataset_drift)
        self.assertTrue(check.retrain.triggered)
        queued = client.get_training_run(check.retrain.training_run_id)
        self.assertEqual(queued.status, TrainingRunStatus.QUEUED)

        with client.training_run(self.name, trigger="manual", notes="nightly") as run:
            run.log_metric("auc", 0.93)
            run.model_version = "v2"
        finished = client.get_training_run(run.id)
        self.assertEqual((finished.status, finished.model_version, finished.metrics), (TrainingRunStatus.SUCCEEDED, "v2", {"auc": 0.93}))

        with self.assertRaises(RuntimeError):
            with client.training_run(model, trigger="manual") as failing:
                raise RuntimeError("out of memory")
        failed = client.get_training_run(failing.id)
        self.assertEqual(failed.status, TrainingRunStatus.FAILED)
        self.assertIn("out of memory", failed.error)

        alerts = client.list_active_alerts(model_id=model.id)
        alert = next(item for item in alerts.items if item.id == check.alert_id)
        acknowledged = client.acknowledge_alert(alert.id, {"by": "python-job"})
        self.assertEqual(acknowledged.status, AlertStatus.ACKNOWLEDGED)

        test = client.start_ab_test(
            {
                "modelId": model.id,
                "name": "%s v2 vs v1" % self.name,
                "primaryMetric": "conversion",
                "metricType": "binary",
                "variants": [{"name": "control", "weight": 1}, {"name": "challenger", "weight": 1}],
            }
        )
        assignment = client.assign_ab_test_variant(test.id, {"unitId": "user-1"})
        self.assertIn(assignment.variant, ("control", "challenger"))
        client.record_ab_test_observations(
            test.id, {"aggregates": [{"variant": "control", "count": 1000, "sum": 100}, {"variant": "challenger", "count": 1000, "sum": 150}]}
        )
        results = client.get_ab_test_results(test.id)
        self.assertLess(next(c for c in results.comparisons if c.variant == "challenger").p_value, 0.01)
        stopped = client.stop_ab_test(test.id, {"winner": "challenger"})
        self.assertEqual(stopped.winner, "challenger")

    def test_errors_carry_the_problem_body(self):
        with self.assertRaises(NotFoundError) as missing:
            self.client.get_model_by_name("py-absent-%s" % uuid.uuid4().hex[:8])
        self.assertEqual(missing.exception.code, "MODEL_NOT_FOUND")
        self.assertTrue(missing.exception.request_id)
        with self.assertRaises(ValidationError) as invalid:
            self.client.create_training_run({"modelId": str(uuid.uuid4()), "modelName": "x"})
        self.assertEqual(invalid.exception.fields, ["modelId", "modelName"])


if __name__ == "__main__":
    unittest.main()
