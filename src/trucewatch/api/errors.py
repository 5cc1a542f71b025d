"""One JSON shape for every error the API returns:

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}

TrucewatchError subclasses give the status and code; request validation (bad JSON,
unknown fields, a query value of the wrong type) is a 422 ``invalid_request``; routing
errors keep their status; anything unexpected is a 500 ``internal_error`` whose message
says nothing of the server's insides (the traceback goes to the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from trucewatch.errors import InputError, NotFoundError, ScenarioProblems, TrucewatchError

log = logging.getLogger("trucewatch.api")

CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
    429: "too_many_requests",
    500: "internal_error", 503: "store_unavailable",
}


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status, repeated for clients that lose it.")
    code: str = Field(description="A stable word to test on: not_found, forbidden, ...")
    message: str = Field(description="What is wrong and what to do, for a person.")
    details: list[Any] = Field(default_factory=list, description="Each problem, when several.")


class ErrorPublic(BaseModel):
    error: ErrorBody


def described(description: str) -> dict[str, Any]:
    return {"model": ErrorPublic, "description": description}


# Declared on every route so the OpenAPI description tells clients the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: described("The body could not be parsed (not JSON in UTF-8, nested too deep)."),
    401: described("Not logged in, or the credentials are wrong, expired or forged."),
    403: described("Logged in, but the role does not allow it, or the CSRF token is missing."),
    404: described("No such thing."),
    409: described("The request conflicts with the ledger as it is (a name taken, a claim "
                   "already moved)."),
    413: described("The request body is over the server's limit (max_request_bytes)."),
    422: described("The request is malformed: bad JSON, an unknown field, a bad value."),
    429: described("Too many requests of this kind (failed logins, briefings under way): "
                   "wait Retry-After seconds."),
}


def error_response(status: int, message: str, *, code: str | None = None,
                   details: list[Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(status=status, code=code or CODES.get(status, "error"), message=message,
                     details=details or [])
    return JSONResponse({"error": body.model_dump(mode="json")}, status_code=status,
                        headers=headers)


# Core errors name the domain's parameters, which are the API's field names too, and kinds
# of thing, which the API lists at these endpoints.
LISTED_AT = {"incident": "/api/incidents", "report": "/api/reports"}


def _trucewatch_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TrucewatchError)
    details: list[Any] = []
    if isinstance(exc, ScenarioProblems):
        details = list(exc.problems)
    elif isinstance(exc, InputError):
        details = [{"input": exc.source, "where": exc.where, "problem": exc.problem}]
    message = str(exc)
    if isinstance(exc, NotFoundError) and exc.what in LISTED_AT:
        message += f"; list them at {LISTED_AT[exc.what]}"
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    retry_after = getattr(exc, "retry_after", None)  # set by the login rate limit
    if retry_after is not None:
        headers = {"Retry-After": str(retry_after)}
    if exc.http_status >= 500:
        log.error("%s: %s", type(exc).__name__, exc)
    return error_response(exc.http_status, message, code=exc.code, details=details,
                          headers=headers)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only plain fields: pydantic's "ctx" may hold exception objects, and "input" may
    # echo a large or binary body.
    details = [{"loc": [str(part) for part in e.get("loc", ())],
                "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
               for e in exc.errors()]
    where = ".".join(details[0]["loc"]) if details else ""
    problem = str(details[0]["message"]) if details else "invalid request"
    message = f"{where}: {problem}" if where else problem
    if len(details) > 1:
        message += f" (and {len(details) - 1} more problem(s), listed in details)"
    return error_response(422, message, code="invalid_request", details=details)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail) if exc.detail else "error"
    if exc.status_code == 404 and message == "Not Found":
        message = "no such endpoint; the API is described at /openapi.json"
    return error_response(exc.status_code, message,
                          headers=dict(exc.headers) if exc.headers else None)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal error: the server failed to answer; it is logged, "
                          "please report it with the time of the request")


HANDLERS: dict[type[Exception], Callable[[Request, Exception], JSONResponse]] = {
    TrucewatchError: _trucewatch_error,
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
    Exception: _unexpected,
}


def install(app: FastAPI) -> None:
    """Route every error through the one shape (server.py shows the pages' errors as
    pages, with the same status and message)."""
    for kind, handler in HANDLERS.items():
        app.add_exception_handler(kind, handler)
