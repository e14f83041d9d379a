"""Exceptions carrying the service's RFC 9457 problem+json body."""
from typing import Any, Dict, List, Optional


class ModelWatchError(Exception):
    """A non-2xx answer. `problem` is the whole problem body (extensions such as `existingModelId` included)."""

    def __init__(self, status: int, problem: Dict[str, Any], headers: Optional[Dict[str, str]] = None):
        self.status = status
        self.problem = problem
        self.headers = headers or {}
        self.code: str = problem.get("code", "HTTP_%d" % status)
        self.detail: str = problem.get("detail", "")
        self.request_id: Optional[str] = problem.get("requestId") or self.headers.get("x-request-id")
        super().__init__("%d %s: %s" % (status, self.code, self.detail))

    @property
    def fields(self) -> List[str]:
        """The fields the service blamed (400s), e.g. ['points[3].value']."""
        return [error.get("field", "") for error in self.problem.get("errors") or []]


class ValidationError(ModelWatchError):
    """400: bad input; `fields` names each bad field."""


class AuthenticationError(ModelWatchError):
    """401: missing or invalid API key."""


class PermissionDeniedError(ModelWatchError):
    """403: the key lacks the scope."""


class NotFoundError(ModelWatchError):
    """404: an unknown resource."""


class ConflictError(ModelWatchError):
    """409: conflicts with the current state (a taken name, an active run, a cooldown…)."""


class RateLimitedError(ModelWatchError):
    """429, after the client's retries."""


class ServerError(ModelWatchError):
    """5xx, after the client's retries for 503."""


_BY_STATUS = {400: ValidationError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError, 429: RateLimitedError}


def error_for(status: int, problem: Dict[str, Any], headers: Dict[str, str]) -> ModelWatchError:
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ModelWatchError)
    return cls(status, problem, headers)
