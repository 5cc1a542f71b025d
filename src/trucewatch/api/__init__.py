"""The JSON API (FastAPI): a thin edge over the ledger, the store's queries and the
review and accounts libraries. Build it with :func:`create_app`."""

from trucewatch.api.app import create_app

__all__ = ["create_app"]
