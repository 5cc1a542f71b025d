"""The web dashboard: server-rendered pages (Jinja2) over the same library calls as the
JSON API, a little plain JavaScript that calls the API, and vendored Leaflet. Nothing is
fetched from outside at run time: Leaflet and the basemap ship in ``static/``."""

from trucewatch.web.pages import install

__all__ = ["install"]
