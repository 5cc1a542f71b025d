"""What the API takes in (…Create, …Update: unknown fields are a 422) and what it gives
out (…Public). Separate from the domain types and the tables, so stored fields such as
password hashes never leak into an answer."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from trucewatch.accounts import Role
from trucewatch.errors import InputError
from trucewatch.model import Confidence, EventType, VerdictKind, implausible_day
from trucewatch.service import ARTICLES, DATASETS, SORTS, Decision, TriageStatus, check_text

T = TypeVar("T")

Sort = Literal["event_date", "-event_date", "killed", "-killed", "id", "-id"]
Dataset = Literal["acled", "ucdp", "gdelt", "reports"]
assert set(SORTS) == set(get_args(Sort)), "the API's sorts and the store's must agree"
assert set(DATASETS) | {ARTICLES} == set(get_args(Dataset)), "the datasets must agree"


def _with_zone(moment: datetime) -> datetime:
    """The store keeps UTC without saying so; an answer says so (RFC 3339 wants an offset)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


UtcDatetime = Annotated[datetime, AfterValidator(_with_zone)]


def _iso_day(value: object) -> object:
    """A day is written YYYY-MM-DD: not a number of seconds since 1970, which pydantic
    would otherwise take (5 would be 1 January 1970)."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("write the day as YYYY-MM-DD")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDay = Annotated[date, BeforeValidator(_iso_day)]
# Ids in bodies stay within what a JSON number holds exactly (clients parse them as doubles).
MAX_BODY_ID = 2**53


class Incoming(BaseModel):
    """Base of request bodies: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="How many match in all, whatever the page.")


class CursorPage(Page[T], Generic[T]):
    next_cursor: str | None = Field(description=(
        "Pass as ?cursor= (same sort and filters) for the next page; null on the last. "
        "Cursors stay valid however deep the page and whatever is recorded meanwhile."))


# --- incidents ----------------------------------------------------------------------------


class TollPublic(BaseModel):
    low: int | None
    best: int | None
    high: int | None
    civilians: int | None = Field(None, description="Of best, civilians, where reports say")
    combatants: int | None = Field(None, description="Of best, fighters, where reports say")


class PlacePublic(BaseModel):
    name: str
    lat: float | None
    lon: float | None
    admin1: str | None
    admin2: str | None
    country: str | None
    geo_precision: int | None
    geonames_id: int | None


class ReviewPublic(BaseModel):
    status: TriageStatus
    assigned_to: str | None
    decision: Decision | None
    agree: int = Field(description="Analysts who agree with the incident as reviewed.")
    disagree: int
    corrected: list[str] = Field(description="Fields whose value is an analyst's.")


class IncidentPublic(BaseModel):
    """An incident as the analysts read it: corrected fields hold the analyst's value."""

    id: int
    event_type: str
    event_date: date | None
    date_precision: str | None
    period_start: date | None
    location: PlacePublic | None
    perpetrator: str | None
    perpetrator_actor: str | None
    target_actor: str | None
    killed: TollPublic
    wounded: TollPublic
    sources: list[str]
    confidence: str
    verdict: str | None = None
    zones: list[str] = []
    agreements: list[str] = []
    reasons: list[str] = []
    review: ReviewPublic


class EvidencePublic(BaseModel):
    id: str = Field(description="Anchor for highlighting this span in the report's text.")
    field: str
    start: int
    end: int
    text: str


class ReportRefPublic(BaseModel):
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None


class ClaimPublic(BaseModel):
    id: int
    report: ReportRefPublic
    dataset: str | None = Field(None, description="acled, ucdp, gdelt; null: an article.")
    external_id: str | None = Field(None, description="The row's id in its dataset.")
    notes: str | None = Field(None, description="The dataset's notes on the event.")
    event_type: str
    event_date: date | None
    date_precision: str | None
    period_start: date | None
    day_part: str | None
    location: PlacePublic | None
    location_text: str | None
    perpetrator: str | None
    perpetrator_actor: str | None
    target: str | None
    target_actor: str | None
    killed: TollPublic
    wounded: TollPublic
    sources: list[str]
    sources_agree: bool | None
    evidence: list[EvidencePublic]


class CorrectionPublic(BaseModel):
    field: str
    machine_value: Any
    analyst_value: Any
    note: str | None
    user: str
    created_at: UtcDatetime


class ReportPublic(BaseModel):
    id: int
    kind: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    ingested_at: UtcDatetime
    incident_ids: list[int]
    copy_of: int | None = Field(None, description=(
        "A near-copy of this report (another outlet's copy of the same story): stored "
        "with no claims of its own, so with no incident_ids."))


class ReportDetailPublic(ReportPublic):
    text: str = Field(description="The report's text, verbatim: escape it before showing it.")
    spans: list[EvidencePublic] = Field(description="Evidence spans in the text, in order.")


class OriginPublic(BaseModel):
    """Where one claim came from, as its source gave it."""

    claim_id: int
    source: str = Field(description="ACLED, UCDP GED, GDELT, or article.")
    dataset: str | None = Field(description="acled, ucdp, gdelt; null for an article.")
    id_name: str | None = Field(description="What the dataset calls its id: event_id_cnty "
                                            "(ACLED), id (UCDP GED), GlobalEventID (GDELT).")
    external_id: str | None = Field(description="The row's id in its dataset.")
    url: str | None = Field(description="GDELT's SOURCEURL, else the article's address.")
    report_id: int
    report_title: str | None
    actor1: str | None = Field(description="The perpetrator as the source words it.")
    actor2: str | None = Field(description="The other side or target as the source words it.")
    notes: str | None = Field(description="The dataset's notes on the event.")
    codes: dict[str, Any] = Field(description="The dataset's own fields, as it gave them.")


class EffectPublic(BaseModel):
    """A claim without which the machine's reading would differ."""

    claim_id: int
    changes: list[str] = Field(description="What would differ without it (verdict, tolls, "
                                           "confidence, perpetrator).")
    because: list[str] = Field(description="What it says that the other claims do not.")


class SidePublic(BaseModel):
    """One side of a contested attribution."""

    actor: str
    claim_ids: list[int]
    said_by: list[str] = Field(description="The sources of the claims that blame it.")


class ProvenancePublic(BaseModel):
    origins: list[OriginPublic]
    merging: list[str] = Field(description="How merging combined the claims, field by field.")
    effects: list[EffectPublic] = Field(description=(
        "The claims that set the verdict, a toll, the grade or the perpetrator: each claim "
        "taken away in turn, the rest merged and judged again."))
    sides: list[SidePublic] = Field(description="When the claims blame different actors: "
                                                "each side, with who says so.")
    disputes: list[str] = Field(description="The reports' own words on who did it.")
    weighed: int = Field(description="How many claims were taken away in turn (at most 40).")


class IncidentDetailPublic(IncidentPublic):
    claims: list[ClaimPublic]
    reports: list[ReportDetailPublic]
    corrections: list[CorrectionPublic]
    provenance: ProvenancePublic | None = Field(None, description=(
        "Where each claim came from and what it did to the incident; compares the machine's "
        "readings (the analysts' corrections are listed apart)."))


def _article_text(text: str) -> str:
    """The rule files and feeds follow: no NUL, no control character, not only blanks."""
    try:
        check_text(text, "text")
    except InputError as error:
        raise ValueError(error.problem) from None
    return text


def _plain(text: str) -> str:
    """A name or a line: no control character at all (newlines included)."""
    if found := _CONTROL.search(text):
        raise ValueError(f"control character U+{ord(found.group()):04X} at character "
                         f"{found.start()}")
    return text


def _plausible(day: date) -> date:
    if wrong := implausible_day(day):
        raise ValueError(wrong)
    return day


_CONTROL = re.compile("[\x00-\x1f\x7f]")
Plain = Annotated[str, AfterValidator(_plain)]
# Written YYYY-MM-DD, as the schema says (pydantic would take a number of seconds), and
# within the years a report can tell of.
Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_plausible)]


class ReportCreate(Incoming):
    text: Annotated[str, AfterValidator(_article_text)] = Field(
        min_length=1, description="The article's text.")
    title: Plain | None = Field(None, max_length=1000)
    url: Plain | None = Field(None, max_length=2000)
    outlet: Plain | None = Field(None, max_length=200)
    published: Day | None = Field(None, description="Publication day, when the text lacks it.")


class IngestPublic(BaseModel):
    report_id: int
    created: bool = Field(description="False: the same text was stored before; nothing changed.")
    incidents: list[IncidentPublic]


# --- zones, agreements, stats, scenario ---------------------------------------------------


class ZoneProperties(BaseModel):
    zone: str
    name: str
    description: str | None
    status: str = Field(description="draft, agreed or disputed")
    valid_from: date
    valid_to: date | None = Field(description="Last day this boundary holds; null: open.")
    approximate: bool
    note: str | None


class ZoneFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: dict[str, Any]
    properties: ZoneProperties


class ZoneCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[ZoneFeature]


class DeadlinePublic(BaseModel):
    name: str
    due: date
    met_on: date | None
    status: Literal["met", "met late", "missed", "pending"]
    note: str | None


class CommitmentPublic(BaseModel):
    id: str
    kind: Literal["agreement", "declaration"]
    name: str
    start: UtcDatetime = Field(description="Local time in the scenario's timezone, with its "
                               "offset (UTC when the scenario names no timezone).")
    end: UtcDatetime | None = Field(description="Exclusive; null: open-ended.")
    zones: list[str]
    prohibited: list[str]
    excluded: list[str]
    ceasefire_class: str | None
    purpose: str | None
    written: bool
    notes: str | None
    in_force: bool = Field(description="In force for some of the day asked (?on=, else today).")
    signed: date | None = None
    parties: list[str] = []
    guarantors: list[str] = []
    mediator: str | None = None
    pax_id: str | None = None
    renewal: str | None = None
    deadlines: list[DeadlinePublic] = []
    actor: str | None = None
    announced: date | None = None


class DailyCountPublic(BaseModel):
    date: date
    zone: str
    violations: int
    probable_violations: int


class ScenarioPublic(BaseModel):
    id: str
    name: str
    description: str | None
    timezone: str | None
    zones: list[str]
    agreements: list[str]
    declarations: list[str]


class ScenarioLoad(Incoming):
    name: str = Field(min_length=1, max_length=80,
                      description="A builtin scenario's name (folders are loaded by the CLI).")


# --- accounts -----------------------------------------------------------------------------


class LoginCreate(Incoming):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


class UserPublic(BaseModel):
    username: str
    role: Role
    active: bool
    created_at: UtcDatetime


class SessionPublic(BaseModel):
    user: UserPublic
    via: Literal["cookie", "bearer"]
    csrf_token: str | None = Field(
        description="Send as X-CSRF-Token on POST, PUT, PATCH and DELETE (cookie logins).")


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: UtcDatetime


class UserCreate(Incoming):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)
    role: Role = Role.VIEWER


class UserUpdate(Incoming):
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=1000)


# --- review -------------------------------------------------------------------------------


Count = Field(None, ge=0, le=10_000_000)


class CorrectionFields(Incoming):
    """The fields to correct; those left out keep their value, null means unknown."""

    event_type: EventType | None = None
    event_date: Day | None = None
    location_name: Plain | None = Field(None, min_length=1, max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    perpetrator_actor: Plain | None = Field(None, min_length=1, max_length=80)
    killed_low: int | None = Count
    killed_best: int | None = Count
    killed_high: int | None = Count
    wounded_low: int | None = Count
    wounded_best: int | None = Count
    wounded_high: int | None = Count
    verdict: VerdictKind | None = None


class CorrectionCreate(Incoming):
    fields: CorrectionFields
    note: str | None = Field(None, max_length=5000, description="Why: the source, the reasoning.")


class NoteCreate(Incoming):
    note: str | None = Field(None, max_length=5000)


class VoteUpdate(Incoming):
    value: Literal[1, -1] = Field(description="1 agree, -1 disagree.")


class TriageUpdate(Incoming):
    status: TriageStatus
    assigned_to: str | None = Field(
        None, max_length=80, description="With in_progress: who works on it (default: you).")
    note: str | None = Field(None, max_length=5000)


class AuditPublic(BaseModel):
    id: int
    incident_id: int
    user: str
    action: str = Field(description="correct, revert, confirm, reject, triage or vote")
    field: str | None
    machine_value: Any
    analyst_value: Any
    note: str | None
    created_at: UtcDatetime


class SearchFilters(Incoming):
    """The incident list's filters, as a saved search keeps them."""

    zone: str | None = Field(None, max_length=80)
    agreement: str | None = Field(None, max_length=80)
    verdict: list[VerdictKind] = []
    event_type: EventType | None = None
    actor: str | None = Field(None, max_length=80)
    source: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        [], max_length=20)
    dataset: list[Dataset] = []
    confidence: list[Confidence] = []
    min_confidence: Confidence | None = None
    date_from: IsoDay | None = None
    date_to: IsoDay | None = None
    bbox: str | None = Field(None, max_length=200, description="minlon,minlat,maxlon,maxlat")
    q: str | None = Field(None, max_length=200)
    review_status: TriageStatus | None = None
    include_rejected: bool = False
    sort: Sort = "event_date"


class SavedSearchCreate(Incoming):
    name: str = Field(min_length=1, max_length=120)
    filters: SearchFilters


class SavedSearchUpdate(Incoming):
    name: str | None = Field(None, min_length=1, max_length=120)
    filters: SearchFilters | None = None


class SavedSearchPublic(BaseModel):
    id: int
    name: str
    filters: dict[str, Any]
    created_at: UtcDatetime
    updated_at: UtcDatetime


# --- merging: analysts split and join incidents ---------------------------------------------


class SplitCreate(Incoming):
    claims: list[Annotated[int, Field(ge=1, le=MAX_BODY_ID)]] = Field(
        min_length=1, max_length=10_000,
        description="Ids of the claims to move into a new incident.")
    note: str | None = Field(None, max_length=5000)


class JoinCreate(Incoming):
    other: int = Field(ge=1, le=MAX_BODY_ID, description="The incident to fold into this one.")
    note: str | None = Field(None, max_length=5000)


class MergeDecisionPublic(BaseModel):
    decision_id: int
    incident_ids: list[int] = Field(
        description="Split: the incident and the new one; join: the incident kept.")
