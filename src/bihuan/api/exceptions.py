"""API errors as JSON `{"error": "..."}` with an accurate status code."""

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from bihuan.cases.actions import STALE_MESSAGE


class Conflict(exceptions.APIException):
    """The case changed since the client read it (optimistic concurrency on row_version)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = STALE_MESSAGE
    default_code = "conflict"


def _first_message(detail: Any) -> str:
    """The first message of a (possibly nested) validation error, prefixed by its field name."""
    if isinstance(detail, dict):
        name, value = next(iter(detail.items()))
        message = _first_message(value)
        return message if name in ("non_field_errors", "__all__") else f"{name}：{message}"
    if isinstance(detail, list):
        return _first_message(detail[0])
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler (which also turns Http404 and PermissionDenied into responses), reshaped:
    `{"error": message}`, plus `"fields"` with every message for a validation error."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"error": _first_message(fields), "fields": fields}
    else:
        response.data = {"error": str(response.data["detail"])}
    return response
