"""One error hierarchy. Each error says which input, where in it, and what to do.

The command line turns these into one-line messages and exit code 2; the API
into a JSON error with ``http_status`` and ``code`` (a stable word a client can test).
"""

from __future__ import annotations


class TrucewatchError(Exception):
    """Base of every error trucewatch raises on purpose."""

    http_status = 500
    code = "internal_error"


class InputError(TrucewatchError):
    """Bad input: names the input (file, URL, feature) and the place in it."""

    http_status = 422
    code = "invalid_input"

    def __init__(self, source: str, problem: str, where: str | int | None = None) -> None:
        self.source = source
        self.problem = problem
        self.where = where
        location = f"{source}:{where}" if where is not None else source
        super().__init__(f"{location}: {problem}")


class ScenarioError(InputError):
    """A scenario file that is missing, unreadable or inconsistent."""


class ScenarioProblems(ScenarioError):
    """Several problems found while validating a scenario, all reported at once."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(source, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems))


class NotFoundError(TrucewatchError):
    """A named thing (scenario, zone, incident) that does not exist. ``what`` names its
    kind ("incident", "report") so that each edge can say where to list them."""

    http_status = 404
    code = "not_found"

    def __init__(self, message: str, *, what: str | None = None) -> None:
        self.what = what
        super().__init__(message)


class StoreError(TrucewatchError):
    """The database could not be reached or is not initialised."""

    http_status = 503
    code = "store_unavailable"


class AuthError(TrucewatchError):
    """No credentials, or credentials that are wrong, expired or forged."""

    http_status = 401
    code = "not_authenticated"


class PermissionDenied(TrucewatchError):
    """Who asked is known, but their role does not allow it."""

    http_status = 403
    code = "forbidden"


class ConflictError(TrucewatchError):
    """The request clashes with what is stored (a username or a search name taken)."""

    http_status = 409
    code = "conflict"
