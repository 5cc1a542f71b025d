"""The digest by mail: the violations recorded since a moment, per zone, with tolls,
confidence, the sentence that says so and links to the dashboard; a plain-text and an
HTML part in one message per address.

Each address gets what its subscription follows (violations and probable violations in
every zone when it has none). What was mailed is recorded, so nobody gets the same
incident twice; a digest the server did not take stays queued and goes with the next.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from jinja2 import Environment, PackageLoader

from trucewatch.durations import parse_duration
from trucewatch.errors import InputError, TrucewatchError
from trucewatch.model import Scenario
from trucewatch.settings import Settings
from trucewatch.store import subscriptions
from trucewatch.store.aggregates import StoredAggregate, list_aggregates
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.stream import Entry, iter_entries
from trucewatch.store.subscriptions import Subscription

EVIDENCE_ORDER = ("killed", "event_type", "perpetrator", "location", "wounded")


class DeliveryError(TrucewatchError):
    """The mail server could not be reached, or refused the login or a recipient."""

    http_status = 502
    code = "delivery_failed"


@dataclass(slots=True)
class Item:
    entry: Entry
    sentence: str | None
    link: str


@dataclass(slots=True)
class Digest:
    address: str
    since: datetime
    generated: datetime
    sections: dict[str, list[Item]] = field(default_factory=dict)  # zone name -> items
    zone_links: dict[str, str] = field(default_factory=dict)  # zone name -> dashboard page
    # Counts of violations per side, area and day for the days since, with their verdicts.
    aggregates: list[StoredAggregate] = field(default_factory=list)

    @property
    def incident_ids(self) -> set[int]:
        return {item.entry.incident.id for items in self.sections.values()
                for item in items if item.entry.incident.id is not None}


@dataclass(slots=True)
class Outcome:
    address: str
    incidents: int
    sent: bool = False
    file: Path | None = None
    problem: str | None = None


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """'24h', '90m', '7d', '2w' before now, or a day or moment (YYYY-MM-DD[THH:MM]),
    as naive UTC like the store's timestamps."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    back = parse_duration(value)
    if back is not None:
        return now - back
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError("since", f"'{value}' is neither a duration (24h, 90m, 7d, 2w) "
                         "nor a date (YYYY-MM-DD)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def recipients(db: Database, addresses: list[str] | None = None) -> list[Subscription]:
    """Who gets the digest: the given addresses (with what their subscription follows, if
    they have one, else every violation), or every subscription."""
    if addresses:
        return [subscriptions.find_subscription(db, address)
                or Subscription(subscriptions.check_address(address))
                for address in addresses]
    found = subscriptions.list_subscriptions(db)
    if not found:
        raise InputError("recipients", "nobody to mail: name an address or add one with "
                         "'trucewatch subscribe add ADDRESS'")
    return found


def prepare(db: Database, scenario: Scenario | None, subscription: Subscription,
            since: datetime, dashboard_url: str) -> Digest:
    """What ``subscription`` gets: incidents recorded since ``since`` it follows, plus any
    queued for it before, less those it was already sent."""
    queued, sent = subscriptions.delivered(db, subscription.address)
    follows = IncidentFilter(zones=subscription.zones, verdicts=subscription.verdicts,
                        event_types=subscription.event_types,
                        min_confidence=subscription.min_confidence)
    entries: dict[int, Entry] = {}
    for entry in iter_entries(db, _with(follows, recorded_since=since)):
        entries[entry.incident.id or 0] = entry
    if queued:
        for entry in iter_entries(db, _with(follows, ids=tuple(sorted(queued)))):
            entries[entry.incident.id or 0] = entry
    digest = Digest(subscription.address, since, datetime.now(UTC))
    base = dashboard_url.rstrip("/")
    zone_names = {z.id: z.name for z in scenario.zones.values()} if scenario else {}
    by_zone: dict[str, list[Item]] = defaultdict(list)
    ordered = sorted((e for i, e in entries.items() if i not in sent),
                     key=lambda e: (e.incident.event_date is None, e.incident.event_date,
                                    e.incident.id or 0))
    for entry in ordered:
        item = Item(entry, top_sentence(entry), f"{base}/incidents/{entry.incident.id}")
        zones = entry.verdict.zones if entry.verdict and entry.verdict.zones else ("",)
        for zone_id in zones:
            if subscription.zones and zone_id not in subscription.zones:
                continue
            name = zone_names.get(zone_id, zone_id) or "Outside every zone"
            by_zone[name].append(item)
            if zone_id:
                digest.zone_links[name] = f"{base}/zones/{zone_id}"
    digest.sections = dict(sorted(by_zone.items()))
    digest.aggregates = day_counts(db, subscription, since, digest.generated)
    return digest


def day_counts(db: Database, subscription: Subscription, since: datetime, until: datetime
               ) -> list[StoredAggregate]:
    """The aggregate reports for the days from ``since`` to ``until`` (the days counted,
    not when they were stored: yesterday's mission report imported today is in), in the
    zones the subscription follows (every count when it follows none)."""
    found, _ = list_aggregates(db, date_from=since.date(), date_to=until.date())
    if not subscription.zones:
        return found
    return [a for a in found if set(a.verdict.zones) & set(subscription.zones)]


def top_sentence(entry: Entry) -> str | None:
    """The sentence that best states the incident: the toll's, else the event's."""
    evidence = [e for item in entry.claims for e in item.claim.evidence]
    for wanted in EVIDENCE_ORDER:
        for found in evidence:
            if found.field == wanted and found.span.text.strip():
                text = " ".join(found.span.text.split())
                return text if len(text) <= 300 else text[:297].rstrip() + "…"
    return None


def compose(digest: Digest, settings: Settings, scenario: Scenario | None) -> EmailMessage:
    """One message with a plain-text part and an HTML part saying the same."""
    count = len(digest.incident_ids)
    since = f"{digest.since:%Y-%m-%d %H:%M} UTC"
    subject = (f"trucewatch: {count} new violation(s) since {since}" if count
               else f"trucewatch: nothing new since {since}")
    context = {"d": digest, "count": count, "since": since, "scenario": scenario,
               "dashboard": settings.dashboard_url.rstrip("/"),
               "actors": {a.id: a.name for a in scenario.actors.values()} if scenario else {}}
    loader = PackageLoader("trucewatch.publish", "templates")
    text = Environment(loader=loader, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True).get_template("digest.txt").render(context)
    html = Environment(loader=loader, autoescape=True, trim_blocks=True,
                       lstrip_blocks=True).get_template("digest.html").render(context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.mail_from
    message["To"] = digest.address
    message["Date"] = format_datetime(digest.generated)
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid("digest", domain=domain)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_digests(db: Database, settings: Settings, scenario: Scenario | None,
                 recipients: list[Subscription], since: datetime, *,
                 dry_run: Path | None = None) -> list[Outcome]:
    """Prepare each recipient's digest and send it, or write it as .eml into ``dry_run``
    (which records nothing). A server that cannot be reached or refuses the login raises
    DeliveryError with every digest left queued; a refused recipient stays queued and the
    others are sent, then DeliveryError names it."""
    if dry_run is not None and not dry_run.is_dir():
        raise InputError(str(dry_run), "not an existing folder: a dry run writes its .eml "
                         "files into one")
    prepared = [(prepare(db, scenario, r, since, settings.dashboard_url), r) for r in recipients]
    messages = [(digest, compose(digest, settings, scenario)) for digest, _ in prepared]
    outcomes = [Outcome(d.address, len(d.incident_ids)) for d, _ in messages]
    if dry_run is not None:
        for outcome, (digest, message) in zip(outcomes, messages, strict=True):
            outcome.file = _write_eml(dry_run, digest, message)
        return outcomes
    for digest, _ in messages:
        subscriptions.queue(db, digest.address, digest.incident_ids)
    with _connect(settings) as server:
        for outcome, (digest, message) in zip(outcomes, messages, strict=True):
            try:
                server.send_message(message)
            except smtplib.SMTPRecipientsRefused as error:
                outcome.problem = "; ".join(f"{code} {reply.decode(errors='replace')}" for
                                            code, reply in error.recipients.values())
                continue
            except (smtplib.SMTPException, OSError) as error:
                raise DeliveryError(f"{_where(settings)}: sending to {digest.address} failed "
                                    f"({error}); the digest is kept queued") from error
            subscriptions.mark_sent(db, digest.address, digest.incident_ids)
            outcome.sent = True
    refused = [o for o in outcomes if o.problem]
    if refused:
        raise DeliveryError(f"{_where(settings)} refused "
                            + "; ".join(f"{o.address} ({o.problem})" for o in refused)
                            + ": kept queued to send again")
    return outcomes


def _connect(settings: Settings) -> smtplib.SMTP:
    where = _where(settings)
    host, port = settings.smtp_host, settings.smtp_port
    server: smtplib.SMTP | None = None
    try:
        if settings.smtp_tls == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=30,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=30)
        if settings.smtp_tls == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password \
                else ""
            server.login(settings.smtp_user, password)
        return server
    except smtplib.SMTPAuthenticationError as error:
        _close(server)
        raise DeliveryError(f"{where} refused the login of {settings.smtp_user} "
                            f"({error.smtp_code}); check TRUCEWATCH_SMTP_USER and "
                            "TRUCEWATCH_SMTP_PASSWORD. Every digest is kept queued") from None
    except (smtplib.SMTPException, OSError) as error:
        _close(server)
        reason = str(error) or type(error).__name__
        raise DeliveryError(f"cannot send through the mail server {where}: {reason}. Every "
                            "digest is kept queued to send again") from None


def _close(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def _where(settings: Settings) -> str:
    return f"{settings.smtp_host}:{settings.smtp_port}"


def _write_eml(folder: Path, digest: Digest, message: EmailMessage) -> Path:
    safe = re.sub(r"[^A-Za-z0-9@._-]", "_", digest.address)
    path = folder / f"digest-{digest.generated:%Y%m%dT%H%M%S}-{safe}.eml"
    path.write_bytes(bytes(message))
    return path


def _with(selection: IncidentFilter, **changes: object) -> IncidentFilter:
    from dataclasses import replace

    return replace(selection, **changes)  # type: ignore[arg-type]
