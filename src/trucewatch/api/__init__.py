"""The JSON API (FastAPI): a thin edge over the ledger, the store's queries and the
review and accounts libraries. ``trucewatch.server.create_app`` builds the app and
calls :func:`install`; this package never imports the pages (``trucewatch.web``)."""

from trucewatch.api.app import DESCRIPTION, install

__all__ = ["DESCRIPTION", "install"]
