"""The server's own address, as the people who use it reach it: for links that leave the
page (the Atom feed's entries, a briefing's status). Never a loopback address the server
happens to listen on."""

from __future__ import annotations

from fastapi import Request

from trucewatch.settings import Settings


def public_base(request: Request, settings: Settings) -> str:
    """The public_url setting, else dashboard_url when it was set, else the scheme and host
    this request came to (behind a proxy, as the proxy forwarded them: only the proxies
    in forwarded_allow_ips are believed, server.py). No trailing slash."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if "dashboard_url" in settings.model_fields_set:
        return settings.dashboard_url.rstrip("/")
    return str(request.base_url).rstrip("/")
