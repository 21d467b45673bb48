"""The JSON API's one shape of error, and the error responses its OpenAPI document promises.

Every error the API answers, whoever raises it (any error of the project's tree,
:class:`~jaringan.core.errors.JaringanError`, with its branch's status from
:data:`jaringan.errors.HTTP_STATUS`, django-ninja's validation of parameters
and bodies, a missing or wrong token, a failed CSRF check, a body Django
refuses), is ``{"detail": "...", "code": "...", "errors": {field: [messages]}}``
with ``errors`` naming each field at fault ("__all__" when no field is).

:class:`DocumentedAPI` adds those responses to each operation of the OpenAPI
document that can answer them, so that the document tells the truth about
what a client may get back:

====  =========================================================================
400   the input was refused by a service (``Invalid``), or the body is not
      readable: operations with parameters or a body
401   no valid session or token: operations that need one
403   not allowed, or a session without its CSRF token: operations that need
      a session or token
404   no such thing (or not one you may see): operations with parameters or a
      body, which name the things they act on
409   the state changed under the action: operations that write
503   something the operation needs is busy or not answering (``Unavailable``): any operation
422   a parameter or a field of the body does not fit its type or range:
      operations with parameters or a body
429   too many requests: operations with a throttle
====  =========================================================================
"""

from __future__ import annotations

import copy

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from jaringan.core.errors import JaringanError
from jaringan.errors import status_of

__all__ = ["DocumentedAPI", "ErrorOut", "error_body"]

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
#: What each status means, as the document says it.
STATUS_DESCRIPTIONS = {
    400: "The input was refused; `errors` names the fields.",
    401: "A session or a bearer token is needed.",
    403: "Not allowed for this person (or a session without its CSRF token).",
    404: "No such object, or not one this person may see.",
    409: "The object's state does not allow this now, or changed meanwhile.",
    422: "A parameter or a field of the body does not fit its type or range; `errors` names it.",
    429: "Too many requests; try again later.",
    503: "Something the operation needs is busy or not answering; try again later.",
}
#: Parts of a validation error's location that name where a value came from, not which field it is.
_SOURCES = {"query", "path", "body", "form", "file", "header", "cookie"}
ERROR_COMPONENT = "ErrorOut"


class ErrorOut(Schema):
    """Any error of the API."""

    detail: str
    code: str
    errors: dict[str, list[str]]


def error_body(detail: str, *, code: str = "", errors: dict[str, list[str]] | None = None) -> dict:
    """The body of an error response."""
    return {"detail": str(detail), "code": code, "errors": errors or {}}


def _field(location) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        if location[0] == "body" and len(parts) > 1:
            parts = parts[1:]  # the name of the body's argument in the view
    return ".".join(parts) or "__all__"


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Each field django-ninja refused, with pydantic's message for it."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field(error.get("loc", ())), []).append(str(error.get("msg", "invalid")))
    return errors


class DocumentedAPI(NinjaAPI):
    """A :class:`NinjaAPI` whose errors all take :class:`ErrorOut`'s shape and are in its OpenAPI document."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_exception_handler(JaringanError, self._error)
        self.add_exception_handler(ValidationError, self._validation_error)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(SuspiciousOperation, self._suspicious)
        self.add_exception_handler(MultiPartParserError, self._suspicious)

    def _error(self, request, exc: JaringanError):
        body = error_body(exc.message, code=exc.code, errors=exc.errors)
        return self.create_response(request, body, status=status_of(exc))

    def _validation_error(self, request, exc: ValidationError):
        errors = validation_errors(exc)
        detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        return self.create_response(request, error_body(detail, code="invalid", errors=errors), status=422)

    def _http_error(self, request, exc: HttpError):
        return self.create_response(request, error_body(str(exc)), status=exc.status_code)

    def _not_found(self, request, exc: Http404):
        return self.create_response(request, error_body("Not found."), status=404)

    def _suspicious(self, request, exc: Exception):
        """A body Django refuses (too large, too many fields, broken multipart): 400, not an HTML page."""
        return self.create_response(request, error_body(str(exc) or "Bad request.", code="refused"), status=400)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        throttled = {op.operation_id or self.get_openapi_operation_id(op)
                     for router in self._get_bound_routers() for view in router.path_operations.values()
                     for op in view.operations if op.throttle_objects}
        document_errors(schema, throttled=throttled)
        return schema


def error_statuses(method: str, operation: dict, *, throttled: bool = False) -> set[int]:
    """The error statuses an operation of the document can answer (see the module's table)."""
    statuses: set[int] = set()
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    if takes_input:
        statuses |= {400, 404, 422}
    if operation.get("security"):
        statuses |= {401, 403}
    if method in WRITE_METHODS:
        statuses |= {400, 403, 404, 409}
    if throttled:
        statuses.add(429)
    statuses.add(503)
    return statuses


def document_errors(schema: dict, *, throttled: set[str] = frozenset()) -> dict:
    """Add :class:`ErrorOut` and each operation's error responses to an OpenAPI document (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = copy.deepcopy(ErrorOut.model_json_schema())
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in sorted(error_statuses(method, operation,
                                                throttled=operation.get("operationId") in throttled)):
                if str(status) in responses or status in responses:
                    continue
                responses[status] = {"description": STATUS_DESCRIPTIONS[status],
                                     "content": {"application/json": {"schema": dict(reference)}}}
    return schema
