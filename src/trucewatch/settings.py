"""Settings, declared once. Each is read from the environment as TRUCEWATCH_<NAME>
(or passed explicitly); the README's settings table lists every one (a test checks)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRUCEWATCH_", extra="ignore")

    database_url: str = Field(
        "sqlite:///trucewatch.db",
        description="SQLAlchemy URL of the store; a SQLite file by default.",
    )
    scenario: str = Field(
        "astana-2017",
        description="Scenario used when a command is given none: a builtin name or a folder.",
    )
    cache_dir: Path = Field(
        Path.home() / ".cache" / "trucewatch",
        description="Folder for indexes built on first use (the GeoNames gazetteer).",
    )
    places_dir: Path = Field(
        Path.home() / ".local" / "share" / "trucewatch" / "places",
        description="Folder of places CSVs added with 'trucewatch places import'.",
    )
    max_input_bytes: int = Field(
        50_000_000,
        description="Largest article file read; bigger files are refused with an error.",
    )
    public_read: bool = Field(
        True,
        description="Read-only public mode: anyone may read the ledger through the API without "
        "logging in. False: reading needs an account (viewer or above).",
    )
    secret_key: str | None = Field(
        None,
        description="Key that signs session cookies and CSRF tokens. Unset: a random key per "
        "server start, so browser sessions end when the server restarts; set it for a team.",
    )
    password_hash_cost: Literal["standard", "low"] = Field(
        "standard",
        description="Work per argon2id password hash: standard (3 passes over 64 MiB, RFC "
        "9106) or low (2 passes over 19 MiB, OWASP's floor) for a small machine; a stored "
        "hash is remade at the chosen cost at its user's next login.",
    )
    session_hours: int = Field(
        12, ge=1, description="How long a browser login lasts, in hours."
    )
    token_days: int = Field(
        30, ge=1, description="How long an API token from POST /api/auth/token lasts, in days."
    )
    cookie_secure: bool = Field(
        False,
        description="Send the session cookie over HTTPS only; turn on when served behind TLS.",
    )
    tile_url: str | None = Field(
        None,
        description="A map tile URL template ({z}/{x}/{y}) the dashboard draws over its "
        "offline outlines; unset: the outlines alone, nothing fetched.",
    )
    # --- serving (trucewatch serve) ---
    public_url: str | None = Field(
        None,
        description="The address people reach the server at (https://desk.example.org), for "
        "the links of the Atom feed; unset: dashboard_url when it is set, else the address "
        "each request came to.",
    )
    forwarded_allow_ips: str = Field(
        "",
        description="Comma-separated addresses (or *) of the reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto headers are believed; empty: nobody's, so a "
        "client cannot pass itself off as another address (the login limit counts by it).",
    )
    max_request_bytes: int = Field(
        5_000_000, ge=1024,
        description="Largest request body the server reads (a report posted to the API, a "
        "form); a bigger one is refused with 413 before it is read. Longer texts go "
        "through the command line, held to max_input_bytes.",
    )
    # --- the digest (trucewatch digest) and the Atom feed ---
    dashboard_url: str = Field(
        "http://127.0.0.1:8000",
        description="Address of the dashboard, for the links in digests.",
    )
    smtp_host: str = Field("localhost", description="Mail server that sends the digests.")
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the mail server.")
    smtp_tls: Literal["starttls", "ssl", "none"] = Field(
        "starttls",
        description="starttls (upgrade after connecting, port 587), ssl (TLS from the start, "
        "port 465) or none (a local relay only).",
    )
    smtp_user: str | None = Field(
        None, description="Login on the mail server; unset: send without logging in."
    )
    smtp_password: SecretStr | None = Field(
        None, description="Password of smtp_user (kept out of logs and error messages)."
    )
    mail_from: str = Field(
        "trucewatch@localhost", description="From address of the digests."
    )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (None values ignored)."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]
