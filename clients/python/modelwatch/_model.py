"""The base of every generated dataclass: JSON in and out, with datetimes, enums and nested models."""
import dataclasses
import math
import sys
import typing
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Dict


class _Unset:
    """A field left out of a request (distinct from None, which is sent as null and clears a nullable field)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()


def format_datetime(value: datetime, where: str = "value") -> str:
    """ISO-8601 in UTC with `Z`. A naive datetime is refused: the service would have to guess its time zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            "%s: naive datetime %s has no time zone; use datetime.now(timezone.utc) or .replace(tzinfo=timezone.utc)"
            % (where, value.isoformat())
        )
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_datetime(text: str) -> datetime:
    """The service's timestamps (`2025-01-02T03:04:05.678Z`) as aware datetimes; fromisoformat() before 3.11 needs +00:00."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_json(value: Any, where: str = "body") -> Any:
    """A request value as JSON: models by their JSON names (UNSET fields left out), datetimes in UTC, enums by value.
    NaN and ±inf are refused here, with the path of the offending field, since JSON cannot carry them."""
    if isinstance(value, Model):
        result = {}
        for item in dataclasses.fields(value):
            field_value = getattr(value, item.name)
            if field_value is UNSET:
                continue
            name = item.metadata.get("json", item.name)
            result[name] = to_json(field_value, "%s.%s" % (where, name))
        return result
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("%s: %r is not a finite number (NaN and infinity cannot be recorded)" % (where, value))
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return format_datetime(value, where)
    if isinstance(value, dict):
        return {str(key): to_json(item, "%s.%s" % (where, key)) for key, item in value.items() if item is not UNSET}
    if isinstance(value, (list, tuple)):
        return [to_json(item, "%s[%d]" % (where, index)) for index, item in enumerate(value)]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars, without importing numpy
        return to_json(value.item(), where)
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays
        return to_json(value.tolist(), where)
    raise TypeError("%s: cannot send a %s as JSON" % (where, type(value).__name__))


def from_json(annotation: Any, value: Any) -> Any:
    """A response value decoded into the annotated type (unknown JSON members are ignored: newer servers may add some)."""
    if value is None:
        return None
    origin = typing.get_origin(annotation)
    if origin is typing.Union:
        options = [option for option in typing.get_args(annotation) if option is not type(None)]
        if len(options) == 1:
            return from_json(options[0], value)
        return value
    if origin in (list, typing.List):
        (item_type,) = typing.get_args(annotation) or (Any,)
        return [from_json(item_type, item) for item in value]
    if origin in (dict, typing.Dict):
        args = typing.get_args(annotation)
        item_type = args[1] if len(args) == 2 else Any
        return {key: from_json(item_type, item) for key, item in value.items()}
    if isinstance(annotation, type):
        if issubclass(annotation, Model) and isinstance(value, dict):
            return annotation.from_json(value)
        if issubclass(annotation, Enum):
            try:
                return annotation(value)
            except ValueError:
                return value
        if annotation is datetime and isinstance(value, str):
            return parse_datetime(value)
        if annotation is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
    return value


class Model:
    """Base of the generated dataclasses."""

    @classmethod
    def from_json(cls, data: Dict[str, Any]):
        hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
        values = {}
        for item in dataclasses.fields(cls):
            name = item.metadata.get("json", item.name)
            if name in data:
                values[item.name] = from_json(hints[item.name], data[name])
        return cls(**values)

    def to_json(self) -> Dict[str, Any]:
        return to_json(self, type(self).__name__)
