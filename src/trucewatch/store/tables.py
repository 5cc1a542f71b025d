"""The database tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` build them;
a test checks the two agree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class LocatedMixin:
    """Where and when an event happened, and what it did: shared by claims and incidents."""

    event_type: Mapped[str] = mapped_column(String(64), index=True)
    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    day_part: Mapped[str | None] = mapped_column(String(16))
    location_name: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    admin1: Mapped[str | None] = mapped_column(String(120))
    admin2: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(120))
    geo_precision: Mapped[int | None] = mapped_column(Integer)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    perpetrator: Mapped[str | None] = mapped_column(String(300))
    perpetrator_actor: Mapped[str | None] = mapped_column(String(80), index=True)
    target_actor: Mapped[str | None] = mapped_column(String(80))
    killed_low: Mapped[int | None] = mapped_column(Integer)
    killed_best: Mapped[int | None] = mapped_column(Integer)
    killed_high: Mapped[int | None] = mapped_column(Integer)
    wounded_low: Mapped[int | None] = mapped_column(Integer)
    wounded_best: Mapped[int | None] = mapped_column(Integer)
    wounded_high: Mapped[int | None] = mapped_column(Integer)
    # Of the best tolls, how many the reports say were civilians and how many fighters.
    killed_civilians: Mapped[int | None] = mapped_column(Integer)
    killed_combatants: Mapped[int | None] = mapped_column(Integer)
    wounded_civilians: Mapped[int | None] = mapped_column(Integer)
    wounded_combatants: Mapped[int | None] = mapped_column(Integer)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ScenarioRow(Base):
    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)  # the scenario files as loaded
    loaded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # A near-copy of a stored story (a syndicated copy with small edits, migration 0008):
    # the first report of the story, whose claims stand for it. A copy keeps no claims.
    copy_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)

    claims: Mapped[list[ClaimRow]] = relationship(back_populates="report")


class ReportBandRow(Base):
    """The LSH index of reports' texts (ingest/near_duplicates.py): one row per band key
    of each report, so a near-copy is found by one indexed query in any process."""

    __tablename__ = "report_bands"
    # SQLite: the rows are the primary key's B-tree (no rowid table beside it), which
    # halves the pages each ingest writes to the band index (keys arrive in random order).
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 (SQLAlchemy reads it, once)

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), primary_key=True)


class IncidentRow(LocatedMixin, Base):
    __tablename__ = "incidents"
    # The map's count per point (store/clusters.py) walks this index alone (0012).
    __table_args__ = (Index("ix_incidents_place", "lat", "lon", "verdict", "event_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    confidence: Mapped[str] = mapped_column(String(16))
    scenario_id: Mapped[str | None] = mapped_column(String(80))  # the scenario judged against
    verdict: Mapped[str | None] = mapped_column(String(32), index=True)
    verdict_zones: Mapped[list[Any]] = mapped_column(JSON, default=list)
    verdict_agreements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    verdict_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    assessed_at: Mapped[datetime | None] = mapped_column(DateTime)

    claims: Mapped[list[ClaimRow]] = relationship(back_populates="incident")


class ClaimRow(LocatedMixin, Base):
    __tablename__ = "claims"
    # A dataset row is stored once: a re-import finds it by (dataset, external_id).
    # Claims read from articles leave both null, and nulls never collide.
    __table_args__ = (Index("ix_claims_dataset_external_id", "dataset", "external_id",
                            unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    # Nothing looks claims up by type or perpetrator (incidents, which are, keep those
    # indexes): unindexed, a million dataset rows are stored a fifth faster (0007).
    event_type: Mapped[str] = mapped_column(String(64))
    perpetrator_actor: Mapped[str | None] = mapped_column(String(80))
    location_text: Mapped[str | None] = mapped_column(String(300))
    target: Mapped[str | None] = mapped_column(String(300))
    sources_agree: Mapped[bool | None]
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # --- dataset imports (migration 0003) ---
    dataset: Mapped[str | None] = mapped_column(String(16))  # acled, ucdp, gdelt
    external_id: Mapped[str | None] = mapped_column(String(64))  # event_id_cnty, GED id, ...
    event_date_end: Mapped[date | None] = mapped_column(Date)
    exact_type: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    notes: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the dataset's own codes
    # An import stores rows with no incident and merges them after (a kill between the two
    # leaves claims with a null incident_id, which the next run merges). A changed row is
    # detached the same way; the incident it was in is remembered so it can go back.
    previous_incident_id: Mapped[int | None] = mapped_column(Integer)

    report: Mapped[ReportRow] = relationship(back_populates="claims")
    incident: Mapped[IncidentRow | None] = relationship(back_populates="claims")


# --- accounts and review (migration 0002) ---------------------------------------------------


class UserRow(Base):
    """An account: viewer (reads), analyst (reviews) or admin (users, scenarios, ingest)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))  # argon2id, with its parameters
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class ApiTokenRow(Base):
    """A bearer token or a browser session. Only a hash of the secret is kept, so a copy
    of the database does not let anyone log in."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "api" or "session"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class OverrideRow(Base):
    """An analyst's reading of one field of an incident, kept beside the machine's.

    The incident row keeps the machine's value (re-assessment rewrites it); the effective
    value is this one, applied on read."""

    __tablename__ = "overrides"
    __table_args__ = (UniqueConstraint("incident_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    machine_value: Mapped[Any] = mapped_column(JSON, nullable=True)  # when corrected
    analyst_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReviewActionRow(Base):
    """The audit log: every review action, who took it and when. Never updated."""

    __tablename__ = "review_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    field: Mapped[str | None] = mapped_column(String(40))
    machine_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    analyst_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class TriageRow(Base):
    """Where the team stands on an incident; no row means unread."""

    __tablename__ = "triage"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(String(16))  # confirmed, rejected
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class VoteRow(Base):
    """One analyst's agreement (+1) or disagreement (-1) with an incident as reviewed."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("incident_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SavedSearchRow(Base):
    """A named set of incident filters, one user's."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# --- analysts' merge decisions (migration 0003) ---------------------------------------------


class MergeDecisionRow(Base):
    """An analyst split an incident or joined two. Kept so that re-merging honours it:
    claims on the two sides of a split never share an incident again, and claims joined
    stay together. A later decision about the same claims wins over an earlier one."""

    __tablename__ = "merge_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "split" or "join"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MergeDecisionClaimRow(Base):
    """A claim in a decision, on side 0 or 1 (split: the moved claims are side 1)."""

    __tablename__ = "merge_decision_claims"

    decision_id: Mapped[int] = mapped_column(ForeignKey("merge_decisions.id"), primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), primary_key=True, index=True)
    side: Mapped[int] = mapped_column(Integer)


# --- digest subscriptions and deliveries (migration 0004) ------------------------------------


class SubscriptionRow(Base):
    """An address that gets the digest, and what it follows: zones, event types, verdicts
    and a minimum confidence (empty lists: all)."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)
    zones: Mapped[list[Any]] = mapped_column(JSON, default=list)
    event_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    verdicts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    min_confidence: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class DigestDeliveryRow(Base):
    """One incident in one address's digest: queued, then sent. An incident is mailed to an
    address once; a digest the server refused stays queued and goes with the next one."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("address", "incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), index=True)  # queued, sent
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class AggregateRow(Base):
    """A count of acts per side, area and day (model.AggregateReport) with its own verdict.
    ``identity`` (a hash of day, reporter, side, area and kind) makes a re-import replace
    the same count instead of adding it twice."""

    __tablename__ = "aggregate_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    identity: Mapped[str] = mapped_column(String(64), unique=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    reporter: Mapped[str] = mapped_column(String(200))
    side: Mapped[str | None] = mapped_column(String(200))
    side_actor: Mapped[str | None] = mapped_column(String(80), index=True)
    area: Mapped[str | None] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(120))
    killed: Mapped[int | None] = mapped_column(Integer)
    wounded: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(32), index=True)
    verdict_zones: Mapped[list[Any]] = mapped_column(JSON, default=list)
    verdict_agreements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    verdict_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# Indexes a migration makes on one backend only (PostGIS's GiST on incident points, 0005;
# the list's sort indexes, 0010: SQLite's one-column indexes hold the rowid already; the
# daily counts' covering index, 0013: an INCLUDE column on PostgreSQL).
BACKEND_INDEXES = frozenset({"ix_incidents_point", "ix_incidents_killed_best",
                             "ix_incidents_event_date_id", "ix_incidents_killed_best_id",
                             "ix_incidents_verdict_day_zones"})


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter: only trucewatch's own tables. PostGIS keeps spatial_ref_sys (and
    topology's tables) in the same schema; they are not ours to create or drop. Nor are
    the backend-only indexes part of the tables' description."""
    if type_ == "index":
        return name not in BACKEND_INDEXES
    return type_ != "table" or name in Base.metadata.tables
