"""Who gets the digest and what they follow; which incidents went to whom.

A delivery is queued before the message is handed to the mail server and marked sent
only once the server accepted it, so a refused or unreachable server leaves it queued for
the next digest, and an incident is never mailed twice to the same address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr

from sqlalchemy import delete, select

from trucewatch.errors import InputError, NotFoundError
from trucewatch.model import Confidence, EventType, VerdictKind
from trucewatch.store.database import Database
from trucewatch.store.tables import DigestDeliveryRow, SubscriptionRow

QUEUED, SENT = "queued", "sent"
DEFAULT_VERDICTS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)


@dataclass(frozen=True, slots=True)
class Subscription:
    address: str
    zones: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    verdicts: tuple[str, ...] = DEFAULT_VERDICTS
    min_confidence: Confidence | None = None


def check_address(address: str) -> str:
    """A plain mail address (name@domain), or an error naming it."""
    _, parsed = parseaddr(address)
    local, _, domain = parsed.rpartition("@")
    if not parsed or parsed != address.strip() or not local or not domain or " " in parsed:
        raise InputError(address, "not a mail address; give one like analyst@example.org")
    return parsed


def save_subscription(db: Database, subscription: Subscription) -> bool:
    """Add an address, or change what it follows; True when it was new."""
    address = check_address(subscription.address)
    for event_type in subscription.event_types:
        EventType(event_type)  # the command line checked; a library caller gets a ValueError
    now = _now()
    with db.transaction() as session:
        row = session.scalar(select(SubscriptionRow).where(SubscriptionRow.address == address))
        created = row is None
        if row is None:
            row = SubscriptionRow(address=address, created_at=now)
        row.zones = list(subscription.zones)
        row.event_types = list(subscription.event_types)
        row.verdicts = list(subscription.verdicts or DEFAULT_VERDICTS)
        row.min_confidence = (subscription.min_confidence.value
                              if subscription.min_confidence else None)
        row.updated_at = now
        session.add(row)
    return created


def list_subscriptions(db: Database) -> list[Subscription]:
    with db.reading() as session:
        return [_subscription(row) for row in session.scalars(
            select(SubscriptionRow).order_by(SubscriptionRow.address))]


def find_subscription(db: Database, address: str) -> Subscription | None:
    with db.reading() as session:
        row = session.scalar(select(SubscriptionRow).where(SubscriptionRow.address == address))
        return _subscription(row) if row else None


def remove_subscription(db: Database, address: str) -> None:
    """Stop an address's digests; what it was queued is dropped, what it was sent kept."""
    with db.transaction() as session:
        row = session.scalar(select(SubscriptionRow).where(SubscriptionRow.address == address))
        if row is None:
            raise NotFoundError(f"no subscription for {address}; 'trucewatch subscribe list' "
                                "shows them")
        session.delete(row)
        session.execute(delete(DigestDeliveryRow).where(
            DigestDeliveryRow.address == address, DigestDeliveryRow.status == QUEUED))


def delivered(db: Database, address: str) -> tuple[set[int], set[int]]:
    """The incidents queued for an address, and those already sent to it."""
    with db.reading() as session:
        rows = session.execute(select(DigestDeliveryRow.incident_id, DigestDeliveryRow.status)
                               .where(DigestDeliveryRow.address == address))
        queued: set[int] = set()
        sent: set[int] = set()
        for incident_id, status in rows:
            (sent if status == SENT else queued).add(incident_id)
        return queued, sent


def queue(db: Database, address: str, incident_ids: Iterable[int]) -> None:
    """Queue incidents for an address (those queued or sent before stay as they are)."""
    wanted = set(incident_ids)
    if not wanted:
        return
    with db.transaction() as session:
        known = set(session.scalars(select(DigestDeliveryRow.incident_id).where(
            DigestDeliveryRow.address == address, DigestDeliveryRow.incident_id.in_(wanted))))
        now = _now()
        session.add_all(DigestDeliveryRow(address=address, incident_id=incident_id,
                                          status=QUEUED, queued_at=now)
                        for incident_id in sorted(wanted - known))


def mark_sent(db: Database, address: str, incident_ids: Iterable[int]) -> None:
    wanted = set(incident_ids)
    if not wanted:
        return
    with db.transaction() as session:
        now = _now()
        for row in session.scalars(select(DigestDeliveryRow).where(
                DigestDeliveryRow.address == address,
                DigestDeliveryRow.incident_id.in_(wanted))):
            row.status, row.sent_at = SENT, now


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        address=row.address, zones=tuple(row.zones or ()),
        event_types=tuple(row.event_types or ()),
        verdicts=tuple(row.verdicts or DEFAULT_VERDICTS),
        min_confidence=Confidence(row.min_confidence) if row.min_confidence else None)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
