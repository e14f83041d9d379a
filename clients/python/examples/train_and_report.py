#!/usr/bin/env python3
"""Train a (toy) model and report it to ModelWatch: register the model, log the training run, record evaluation
metrics, and print the trend. Runs as is against a local service:

    npm start                                   # in the repository root: ModelWatch on http://127.0.0.1:3000
    python3 clients/python/examples/train_and_report.py

Set MODELWATCH_URL and MODELWATCH_API_KEY for another service. Standard library only.
"""
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from modelwatch import Client, MetricPointDto, ModelWatchError  # noqa: E402


def train(rows):
    """A one-feature threshold classifier: the threshold with the best accuracy."""
    best = max(sorted({x for x, _ in rows}), key=lambda t: sum((x >= t) == y for x, y in rows))
    accuracy = sum((x >= best) == y for x, y in rows) / len(rows)
    return best, accuracy


def main():
    client = Client(os.environ.get("MODELWATCH_URL", "http://127.0.0.1:3000"), api_key=os.environ.get("MODELWATCH_API_KEY"))
    model = client.put_model_by_name("example-threshold-classifier", {"taskType": "binary_classification", "owner": "examples"})
    print("model %s (%s)" % (model.name, model.id))

    rng = random.Random(42)
    rows = [(x, x + rng.gauss(0, 0.5) > 1.0) for x in (rng.uniform(0, 2) for _ in range(2000))]
    with client.training_run(model, trigger="manual", hyperparameters={"search": "exhaustive"}) as run:
        threshold, accuracy = train(rows)
        run.log_metrics({"accuracy": accuracy, "threshold": threshold})
        run.model_version = "threshold-%.3f" % threshold
    print("training run %s succeeded: accuracy %.3f" % (run.id, accuracy))

    # a day of production accuracy, one point per 10 minutes (idempotent: re-running records nothing twice)
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    points = [
        MetricPointDto(
            model_id=model.id,
            metric_name="accuracy",
            value=round(accuracy - 0.02 * rng.random(), 4),
            recorded_at=now - timedelta(minutes=10 * i),
            model_version=run.model_version,
            idempotency_key="example-%s" % (now - timedelta(minutes=10 * i)).isoformat(),
        )
        for i in range(144)
    ]
    totals = client.metrics.record_many(points, batch_size=50)
    print("recorded %d points (%d already there)" % (totals.recorded, totals.duplicates))

    trend = client.get_metric_trend(model_id=model.id, metric_name="accuracy", bucket="1h", from_=now - timedelta(days=1), to=now + timedelta(minutes=1))
    print("accuracy over the last day: mean %.4f, last %.4f, trend %s" % (trend.summary.mean, trend.summary.last, trend.summary.direction.value))


if __name__ == "__main__":
    try:
        main()
    except ModelWatchError as error:
        sys.exit("ModelWatch said %s (%s): %s" % (error.status, error.code, error.detail))
    except OSError as error:
        sys.exit("Cannot reach ModelWatch (%s): is it running? Start it with `npm start`." % error)
