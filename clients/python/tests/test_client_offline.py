"""Client-side checks that need no service: NaN/inf and naive datetimes refused, JSON shapes, Retry-After, decoding."""
import unittest
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from modelwatch import Client, ConflictError, CreateModelDto, RecordLabelsResultDto, MetricPointDto, ModelDto, TaskType, UNSET, UpdateModelDto, record_in_batches, retry_after_seconds


class OfflineTest(unittest.TestCase):
    def setUp(self):
        self.client = Client("http://127.0.0.1:9", retries=0)  # nothing listens on port 9 (discard)

    def test_nan_and_infinity_are_refused_before_sending(self):
        for bad in (float("nan"), float("inf"), float("-inf")):
            with self.assertRaisesRegex(ValueError, r"points\[1\]\.value: .* not a finite number"):
                self.client.metrics.record_many([{"modelName": "m", "metricName": "auc", "value": 1.0}, {"modelName": "m", "metricName": "auc", "value": bad}])
        with self.assertRaisesRegex(ValueError, r"metrics\.auc"):
            self.client.update_training_run("00000000-0000-4000-8000-000000000000", {"metrics": {"auc": float("nan")}})

    def test_naive_datetimes_are_refused_aware_ones_sent_in_utc(self):
        with self.assertRaisesRegex(ValueError, "naive datetime .* no time zone"):
            MetricPointDto(metric_name="auc", value=1.0, model_name="m", recorded_at=datetime(2025, 1, 1)).to_json()
        aware = datetime(2025, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=2)))
        point = MetricPointDto(metric_name="auc", value=1.0, model_name="m", recorded_at=aware).to_json()
        self.assertEqual(point, {"metricName": "auc", "value": 1.0, "modelName": "m", "recordedAt": "2025-01-01T00:00:00.000Z"})

    def test_unset_fields_are_left_out_and_none_is_sent_as_null(self):
        self.assertEqual(CreateModelDto(name="m", task_type=TaskType.REGRESSION).to_json(), {"name": "m", "taskType": "regression"})
        self.assertEqual(UpdateModelDto(owner=None).to_json(), {"owner": None})
        self.assertIs(UpdateModelDto().owner, UNSET)

    def test_responses_decode_into_dataclasses_with_aware_datetimes_and_enums(self):
        model = ModelDto.from_json(
            {
                "id": "x", "name": "m", "displayName": None, "description": None, "taskType": "ranking", "decisionThreshold": 0.5, "owner": None,
                "tags": ["a"], "metadata": {"k": 1}, "createdAt": "2025-01-02T03:04:05.678Z", "updatedAt": "2025-01-02T03:04:05.678Z",
                "addedLater": True,
            }
        )
        self.assertEqual(model.task_type, TaskType.RANKING)
        self.assertEqual(model.created_at, datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc))

    def test_retry_after_as_seconds_or_http_date(self):
        self.assertEqual(retry_after_seconds("3"), 3.0)
        self.assertIsNone(retry_after_seconds(None))
        self.assertIsNone(retry_after_seconds("soon"))
        moment = datetime(2030, 1, 1, tzinfo=timezone.utc)
        self.assertEqual(retry_after_seconds(format_datetime(moment, usegmt=True), now=moment.timestamp() - 7), 7.0)

    def test_batch_size_bounds(self):
        for helper in (self.client.metrics, self.client.predictions, self.client.labels):
            for size in (0, 10_001):
                with self.assertRaises(ValueError):
                    helper.record_many([], batch_size=size)

    def test_batches_sum_every_count_and_a_failed_call_says_where_to_resume(self):
        calls, failing_call = [], [0]

        def send(body):
            calls.append(len(body["labels"]))
            if len(calls) == failing_call[0]:
                raise ConflictError(409, {"code": "LABEL_CONFLICT", "detail": "changed", "errors": [{"field": "labels[1].label"}]})
            return RecordLabelsResultDto(recorded=len(body["labels"]) - 1, duplicates=1, overwritten=0, pending=2)

        totals = record_in_batches(send, "labels", ({"label": 1} for _ in range(7)), 3, RecordLabelsResultDto)
        self.assertEqual(calls, [3, 3, 1])
        self.assertEqual(totals, RecordLabelsResultDto(recorded=4, duplicates=3, overwritten=0, pending=6))
        calls.clear()
        failing_call[0] = 3
        with self.assertRaises(ConflictError) as failed:
            record_in_batches(send, "labels", ({"label": 1} for _ in range(9)), 4, RecordLabelsResultDto)
        self.assertEqual(failed.exception.batch_offset, 8)
        self.assertEqual(failed.exception.partial_totals, RecordLabelsResultDto(recorded=6, duplicates=2, overwritten=0, pending=4))


if __name__ == "__main__":
    unittest.main()
