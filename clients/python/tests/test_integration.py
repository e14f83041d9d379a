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

    def test_predictions_then_labels_in_batches(self):
        client = self.client
        model = client.put_model_by_name(self.name, {"taskType": "binary_classification"})
        start = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
        # 12,000 predictions in one hour: prediction i scores (i % 10) / 10, so it predicts 1 when i % 10 >= 5
        predictions = (
            {"modelName": self.name, "predictionId": "p-%d" % i, "predictedAt": start + timedelta(milliseconds=250 * i), "score": (i % 10) / 10}
            for i in range(12_000)
        )
        logged = client.predictions.record_many(predictions, batch_size=5000)  # 3 calls: 5,000 + 5,000 + 2,000
        self.assertEqual((logged.recorded, logged.duplicates, logged.labelled), (12_000, 0, 0))

        # labels for the first 9,000 (label 1 when i % 10 >= 3: 7 of 10 right) and 5 for predictions not logged yet
        labels = [{"modelName": self.name, "predictionId": "p-%d" % i, "label": int(i % 10 >= 3)} for i in range(9_000)]
        labels += [{"modelName": self.name, "predictionId": "later-%d" % i, "label": 1} for i in range(5)]
        recorded = client.labels.record_many(labels, batch_size=4000)
        self.assertEqual((recorded.recorded, recorded.duplicates, recorded.overwritten, recorded.pending), (9_005, 0, 0, 5))
        again = client.predictions.record_many([{"modelName": self.name, "predictionId": "later-%d" % i, "score": 0.9} for i in range(5)])
        self.assertEqual((again.recorded, again.labelled), (5, 5))

        window = {"model_id": model.id, "bucket": "1d", "from_": start - timedelta(days=1), "to": start + timedelta(days=1)}
        accuracy = client.get_metric_trend(metric_name="realized.accuracy", **window)
        # 9,000 labelled of p-*: correct when (i%10 >= 5) == (i%10 >= 3), i.e. i%10 not in {3, 4}: 7,200; plus 5 of later-*
        self.assertAlmostEqual(sum(point.value * point.count for point in accuracy.points), 7_205, places=6)
        self.assertEqual(sum(point.count for point in accuracy.points), 9_005)
        coverage = client.get_metric_trend(metric_name="labels.coverage", **window)
        self.assertAlmostEqual(sum(point.value * point.count for point in coverage.points), 9_005, places=6)

        # a changed label in the second call: the first call's labels stand, the error says where to resume
        changed = [{"modelName": self.name, "predictionId": "p-%d" % i, "label": int(i % 10 >= 3)} for i in range(9_000, 9_100)]
        changed += [{"modelName": self.name, "predictionId": "p-0", "label": 1}]
        with self.assertRaises(ConflictError) as conflict:
            client.labels.record_many(changed, batch_size=100)
        self.assertEqual(conflict.exception.batch_offset, 100)
        self.assertEqual(conflict.exception.partial_totals.recorded, 100)
        self.assertEqual(conflict.exception.fields, ["labels[0].label"])
        overwritten = client.labels.record_many(changed[100:], overwrite=True)
        self.assertEqual((overwritten.recorded, overwritten.overwritten), (0, 1))

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
