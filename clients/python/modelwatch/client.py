"""The ModelWatch client: transport (auth, JSON, retries, errors) under the generated methods, plus helpers for jobs."""
import dataclasses
import json
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Type, TypeVar, Union

from modelwatch._generated import (
    CreateTrainingRunDto,
    LabelDto,
    MetricPointDto,
    ModelDto,
    PredictionDto,
    RecordLabelsResultDto,
    RecordMetricsResultDto,
    RecordPredictionsResultDto,
    TrainingRunDto,
    UpdateTrainingRunDto,
    _Operations,
)
from modelwatch._model import UNSET, Model, from_json, to_json
from modelwatch.errors import ModelWatchError, error_for

__all__ = ["Client", "LabelsHelpers", "MetricsHelpers", "PredictionsHelpers", "TrainingRun"]

MAX_ITEMS_PER_CALL = 10_000  # points, predictions or labels per call: the service's limit
MAX_POINTS_PER_CALL = MAX_ITEMS_PER_CALL
_Totals = TypeVar("_Totals")
_RETRIED_STATUSES = {429, 503}
_IDEMPOTENT_METHODS = {"GET", "HEAD", "PUT", "DELETE"}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def retry_after_seconds(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); None when absent or unreadable."""
    if header is None or header.strip() == "":
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def _query_items(query: Dict[str, Any]) -> List[tuple]:
    items = []
    for name, value in query.items():
        if value is None or value is UNSET:
            continue
        if isinstance(value, dict):  # deepObject: segment.<key>=<value>
            items.extend(("%s.%s" % (name, key), str(item)) for key, item in value.items())
            continue
        value = to_json(value, name)
        items.append((name, "true" if value is True else "false" if value is False else str(value)))
    return items


class Client(_Operations):
    """ModelWatch API client: `Client("http://127.0.0.1:3000", api_key="…")`. One method per operation
    (`create_model`, `record_metrics`, `get_metric_trend`, …) returning typed dataclasses; failures raise
    ModelWatchError subclasses carrying the problem body. 429 and 503 are retried after Retry-After (or with
    exponential backoff), as are network errors of idempotent requests."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:3000",
        api_key: Optional[str] = None,
        *,
        retries: int = 3,
        backoff: float = 0.25,
        max_backoff: float = 30.0,
        timeout: float = 60.0,
        headers: Optional[Dict[str, str]] = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.metrics = MetricsHelpers(self)
        self.predictions = PredictionsHelpers(self)
        self.labels = LabelsHelpers(self)

    # transport ---------------------------------------------------------------------------------------------------
    def _call(self, method, path, path_params, query, body, response):
        for name, value in path_params.items():
            if not isinstance(value, str) or value == "":
                raise ValueError("%s must be a non-empty string" % name)
            path = path.replace("{%s}" % name, urllib.parse.quote(value, safe=""))
        url = self.base_url + path
        items = _query_items(query)
        if items:
            url += "?" + urllib.parse.urlencode(items)
        payload = None
        if body is not None:
            payload = json.dumps(to_json(body, "body"), allow_nan=False).encode("utf-8")
        status, headers, data = self._send(method, url, payload)
        if status == 204 or response is None:
            return None
        return from_json(response, data)

    def _send(self, method: str, url: str, payload: Optional[bytes]):
        headers = {"Accept": "application/json", "User-Agent": "modelwatch-python/0.1.0", **self.headers}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = "Bearer %s" % self.api_key
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=payload, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                    return answer.status, {k.lower(): v for k, v in answer.headers.items()}, _decode(answer.read())
            except urllib.error.HTTPError as error:
                response_headers = {k.lower(): v for k, v in error.headers.items()}
                data = _decode(error.read())
                if error.code in _RETRIED_STATUSES and attempt < self.retries:
                    wait = retry_after_seconds(response_headers.get("retry-after"))
                    time.sleep(min(self.max_backoff, wait if wait is not None else self._backoff(attempt)))
                    attempt += 1
                    continue
                problem = data if isinstance(data, dict) else {"status": error.code, "detail": str(data or error.reason)}
                raise error_for(error.code, problem, response_headers) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if method not in _IDEMPOTENT_METHODS or attempt >= self.retries:
                    raise
                time.sleep(min(self.max_backoff, self._backoff(attempt)))
                attempt += 1

    def _backoff(self, attempt: int) -> float:
        return random.random() * self.backoff * 2**attempt

    # helpers for jobs ---------------------------------------------------------------------------------------------
    @contextmanager
    def training_run(
        self,
        model: Union[str, ModelDto],
        trigger: str = "manual",
        **fields: Any,
    ) -> Iterator["TrainingRun"]:
        """A training run for the duration of a `with` block: created as running, marked succeeded with the metrics
        logged on it when the block ends, or failed (with the exception's message) when it raises; the exception
        propagates. `model` is a model id, a model name or a ModelDto; extra fields go to create_training_run
        (hyperparameters, dataset, notes, …)."""
        reference = _model_reference(model)
        run = self.create_training_run(CreateTrainingRunDto(trigger=trigger, status="running", **reference, **fields))
        handle = TrainingRun(self, run)
        try:
            yield handle
        except BaseException as error:
            message = "%s: %s" % (type(error).__name__, error) if str(error) else type(error).__name__
            handle.finish("failed", error=message[:5000])
            raise
        else:
            handle.finish("succeeded")


class TrainingRun:
    """The run of a `with client.training_run(...)` block: log metrics, set the produced model version."""

    def __init__(self, client: Client, run: TrainingRunDto):
        self._client = client
        self.run = run
        self.id = run.id
        self.metrics: Dict[str, float] = {}
        self.model_version: Optional[str] = None
        self.artifact_uri: Optional[str] = None

    def log_metric(self, name: str, value: float) -> None:
        to_json(value, "metrics.%s" % name)  # refuses NaN/inf now, not when the run ends
        self.metrics[name] = float(value)

    def log_metrics(self, metrics: Dict[str, float]) -> None:
        for name, value in metrics.items():
            self.log_metric(name, value)

    def finish(self, status: str, error: Optional[str] = None) -> TrainingRunDto:
        changes = UpdateTrainingRunDto(status=status)
        if self.metrics:
            changes.metrics = dict(self.metrics)
        if self.model_version is not None:
            changes.model_version = self.model_version
        if self.artifact_uri is not None:
            changes.artifact_uri = self.artifact_uri
        if error is not None:
            changes.error = error
        self.run = self._client.update_training_run(self.id, changes)
        return self.run


def record_in_batches(
    send: Callable[[Dict[str, Any]], _Totals],
    field: str,
    items: Iterable[Any],
    batch_size: int,
    totals_type: Type[_Totals],
) -> _Totals:
    """Sends any number of `items` as `{field: [...]}` in calls of `batch_size` (1–10,000), each call all or nothing,
    and returns `totals_type` with every count of the answers summed. Each item is checked (NaN/inf, naive datetimes)
    before it is sent. When a call fails, the calls before it stand: the raised ModelWatchError carries
    `batch_offset` (index of the failed call's first item in `items`) and `partial_totals` (what was recorded before
    it), so a job can resume there; ids/keys make re-sending what was recorded safe (duplicates)."""
    if not 1 <= batch_size <= MAX_ITEMS_PER_CALL:
        raise ValueError("batch_size must be between 1 and %d" % MAX_ITEMS_PER_CALL)
    names = [item.name for item in dataclasses.fields(totals_type)]  # type: ignore[arg-type]
    totals = dict.fromkeys(names, 0)
    batch: List[Any] = []
    offset = 0

    def flush() -> None:
        try:
            result = send({field: list(batch)})
        except ModelWatchError as error:
            error.batch_offset = offset  # type: ignore[attr-defined]
            error.partial_totals = totals_type(**totals)  # type: ignore[attr-defined]
            raise
        for name in names:
            totals[name] += getattr(result, name)

    for index, item in enumerate(items):
        to_json(item, "%s[%d]" % (field, index))
        batch.append(item)
        if len(batch) == batch_size:
            flush()
            offset, batch = index + 1, []
    if batch:
        flush()
    return totals_type(**totals)


class MetricsHelpers:
    """`client.metrics`: batching on top of record_metrics."""

    def __init__(self, client: Client):
        self._client = client

    def record_many(self, points: Iterable[Union[MetricPointDto, Dict[str, Any]]], batch_size: int = 5000) -> RecordMetricsResultDto:
        """Records any number of points in calls of `batch_size` (1–10,000); each call is all or nothing. Returns the
        totals. Give points an idempotencyKey to make a retried job skip what was already recorded."""
        return record_in_batches(self._client.record_metrics, "points", points, batch_size, RecordMetricsResultDto)


class PredictionsHelpers:
    """`client.predictions`: batching on top of record_predictions."""

    def __init__(self, client: Client):
        self._client = client

    def record_many(self, predictions: Iterable[Union[PredictionDto, Dict[str, Any]]], batch_size: int = 5000) -> RecordPredictionsResultDto:
        """Logs any number of predictions in calls of `batch_size` (1–10,000; 5,000 predictions with 20 features are
        ~3.5 MB); each call is all or nothing. Returns the totals (recorded, duplicates, labelled). A predictionId
        already logged is a duplicate, so re-running a job is safe."""
        return record_in_batches(self._client.record_predictions, "predictions", predictions, batch_size, RecordPredictionsResultDto)


class LabelsHelpers:
    """`client.labels`: batching on top of record_labels."""

    def __init__(self, client: Client):
        self._client = client

    def record_many(
        self,
        labels: Iterable[Union[LabelDto, Dict[str, Any]]],
        batch_size: int = 5000,
        overwrite: Optional[bool] = None,
    ) -> RecordLabelsResultDto:
        """Records any number of ground-truth labels in calls of `batch_size` (1–10,000); each call is all or nothing.
        Returns the totals (recorded, duplicates, overwritten, pending). A changed label for an id is a ConflictError
        unless `overwrite=True`."""

        def send(body: Dict[str, Any]) -> RecordLabelsResultDto:
            return self._client.record_labels(body, overwrite=overwrite)

        return record_in_batches(send, "labels", labels, batch_size, RecordLabelsResultDto)


def _model_reference(model: Union[str, ModelDto]) -> Dict[str, str]:
    if isinstance(model, ModelDto):
        return {"model_id": model.id}
    if isinstance(model, str) and _UUID.match(model):
        return {"model_id": model}
    if isinstance(model, str):
        return {"model_name": model}
    raise TypeError("model must be a model id, a model name or a ModelDto")


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return raw.decode("utf-8", "replace")


def utc_now() -> datetime:
    """datetime.now(timezone.utc): the aware timestamp the API expects."""
    return datetime.now(timezone.utc)
