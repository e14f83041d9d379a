"""ModelWatch client (Python ≥ 3.9, standard library only).

    from modelwatch import Client
    client = Client("http://127.0.0.1:3000", api_key="…")
    model = client.put_model_by_name("churn-classifier", {"taskType": "binary_classification"})
"""
from modelwatch._generated import *  # noqa: F401,F403  (every schema dataclass and enum)
from modelwatch._model import UNSET, Model
from modelwatch.client import Client, LabelsHelpers, MetricsHelpers, PredictionsHelpers, TrainingRun, record_in_batches, retry_after_seconds, utc_now
from modelwatch.errors import (
    AuthenticationError,
    ConflictError,
    ModelWatchError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationError,
)

__version__ = "0.1.0"
