"""What the browser tests share: Debian's Chromium driven by Playwright, the real app
served by uvicorn on a free loopback port, a page that fails its test on any request to
another host or any script error, and waiting for the dashboard to draw."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium "
           "(apt-get install -y --no-install-recommends chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The app on a uvicorn server in a thread; its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def launch() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def guarded_page(browser: Any, base_url: str, *, expected: tuple[str, ...] = ()) -> Iterator[Any]:
    """A page that may load from ``base_url`` only (a request anywhere else, to a CDN or
    a tile server, fails the test), and whose script errors, dialogs and console errors
    fail it too, except console errors holding one of ``expected``."""
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append(f"a script opened a dialog: {dialog.message}"))
    # Console errors include what the Content-Security-Policy refused.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not any(e in message.text for e in expected)
            else None)
    yield page
    context.close()
    assert outside == [], f"the page fetched from outside: {outside}"
    assert errors == [], f"script errors: {errors}"


def wait_for_draw(page: Any, previous: str | None = None, *, what: str = "ready") -> str:
    """Wait until the dashboard drew (again): its map carries data-ready once everything
    is drawn, data-map-ready once the map's incidents are."""
    # Selectors only: the pages' Content-Security-Policy forbids the eval that waiting
    # on a JavaScript condition needs.
    waiting = f"#map[data-{what}]" + (f":not([data-{what}='{previous}'])" if previous else "")
    page.wait_for_selector(waiting, state="attached")
    ready: str = page.get_attribute("#map", f"data-{what}")
    return ready
