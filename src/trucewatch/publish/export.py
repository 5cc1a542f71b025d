"""Exports of the ledger: ACLED CSV, GeoJSON (RFC 7946) and JSONL with provenance.

Each writer takes the incidents as an iterator and writes row by row, so a ledger of
millions of incidents is never held in memory. Every export reads the incidents as the
analysts do (corrections applied, rejected ones left out); ``reviewed_only`` keeps those
an analyst confirmed.

A file is written beside its destination and moved into place when complete: a failed
export leaves no half-written file.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from trucewatch.errors import InputError
from trucewatch.model import Scenario
from trucewatch.publish.acled import ACLED_COLUMNS, NUMERIC_COLUMNS, acled_row
from trucewatch.publish.records import claim_record, incident_record
from trucewatch.store.database import Database
from trucewatch.store.review import ReviewState
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.stream import Entry, SourceReport, iter_entries

# OWASP's advice against CSV injection: a cell a spreadsheet would read as a formula
# gets a leading apostrophe. Numeric columns are written from numbers and left alone.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

GEOJSON_PROPERTIES = (
    "event_type", "event_date", "date_precision", "period_start", "location", "admin1",
    "admin2", "country", "geo_precision", "perpetrator", "perpetrator_actor",
    "target_actor", "killed_low", "killed_best", "killed_high", "killed_civilians",
    "killed_combatants", "wounded_low", "wounded_best", "wounded_high", "sources",
    "confidence", "verdict", "zones",
    "agreements", "reasons", "review_status", "review_decision",
)
JSONL_FIELDS = (
    "id", "event_type", "event_date", "date_precision", "period_start", "location",
    "perpetrator", "perpetrator_actor", "target_actor", "killed", "wounded", "sources",
    "confidence", "verdict", "zones", "agreements", "reasons", "first_recorded",
    "assessed_at", "review", "claims", "reports",
)


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    geojson = "geojson"
    jsonl = "jsonl"


@dataclass(slots=True)
class ExportResult:
    written: int = 0
    left_out: int = 0  # incidents the format cannot hold (ACLED: no day, month or week)


def available_columns(fmt: ExportFormat) -> tuple[str, ...]:
    return {ExportFormat.acled_csv: ACLED_COLUMNS, ExportFormat.geojson: GEOJSON_PROPERTIES,
            ExportFormat.jsonl: JSONL_FIELDS}[fmt]


def check_columns(fmt: ExportFormat, columns: Iterable[str] | None) -> tuple[str, ...]:
    """The chosen columns in the order given; all of the format's when none are."""
    known = available_columns(fmt)
    chosen = tuple(c.strip() for c in columns or () if c.strip())
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise InputError("columns", f"unknown column(s) for {fmt.value}: "
                         f"{', '.join(unknown)}; available: {', '.join(known)}")
    return chosen or known


def export(db: Database, fmt: ExportFormat, out: TextIO, *,
           selection: IncidentFilter = IncidentFilter(), scenario: Scenario | None = None,
           columns: Iterable[str] | None = None) -> ExportResult:
    """Write the selected incidents to ``out`` in the given format."""
    chosen = check_columns(fmt, columns)
    entries = iter_entries(db, selection, provenance=True)
    writer: Callable[..., ExportResult] = {
        ExportFormat.acled_csv: write_acled_csv, ExportFormat.geojson: write_geojson,
        ExportFormat.jsonl: write_jsonl}[fmt]
    return writer(entries, out, chosen, scenario)


@contextmanager
def output_file(path: Path) -> Iterator[TextIO]:
    """A text file written beside ``path`` and moved over it only when complete."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(path), f"cannot write here: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        # mkstemp makes 0600; an export is shared like the PDFs and digests: the mode a
        # plain open() would give, under the user's umask (0644 under the usual 022).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- ACLED CSV ----------------------------------------------------------------------------


def neutralise(column: str, value: Any) -> str:
    """A cell as text, with a leading apostrophe where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    if column not in NUMERIC_COLUMNS and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_acled_csv(entries: Iterable[Entry], out: TextIO, columns: tuple[str, ...],
                    scenario: Scenario | None = None) -> ExportResult:
    result = ExportResult()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for entry in entries:
        row = acled_row(entry, scenario)
        if row is None:
            result.left_out += 1
            continue
        writer.writerow([neutralise(column, row[column]) for column in columns])
        result.written += 1
    return result


# --- GeoJSON ------------------------------------------------------------------------------


def feature(entry: Entry, columns: tuple[str, ...] = GEOJSON_PROPERTIES) -> dict[str, Any]:
    """An incident as an RFC 7946 Feature: a Point in longitude, latitude order, or a null
    geometry when the place has no coordinates; verdict and reasons in the properties."""
    incident, verdict = entry.incident, entry.verdict
    place = incident.location
    record = incident_record(incident, verdict)
    flat: dict[str, Any] = {
        **{key: record[key] for key in ("event_type", "event_date", "date_precision",
                                        "period_start", "perpetrator", "perpetrator_actor",
                                        "target_actor", "sources", "confidence")},
        "location": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "admin2": place.admin2 if place else None,
        "country": place.country if place else None,
        "geo_precision": place.geo_precision if place else None,
        **{f"{toll}_{part}": record[toll][part]
           for toll in ("killed", "wounded") for part in ("low", "best", "high")},
        "killed_civilians": incident.killed.civilians,
        "killed_combatants": incident.killed.combatants,
        "verdict": verdict.kind.value if verdict else None,
        "zones": list(verdict.zones) if verdict else [],
        "agreements": list(verdict.agreements) if verdict else [],
        "reasons": list(verdict.reasons) if verdict else [],
        "review_status": entry.review.status.value,
        "review_decision": entry.review.decision.value if entry.review.decision else None,
    }
    geometry = None
    if place is not None and place.lat is not None and place.lon is not None:
        geometry = {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]}
    return {"type": "Feature", "id": incident.id, "geometry": geometry,
            "properties": {key: flat[key] for key in columns}}


def write_geojson(entries: Iterable[Entry], out: TextIO, columns: tuple[str, ...],
                  scenario: Scenario | None = None) -> ExportResult:
    result = ExportResult()
    out.write('{"type": "FeatureCollection", "features": [')
    for entry in entries:
        out.write(",\n" if result.written else "\n")
        out.write(json.dumps(feature(entry, columns), ensure_ascii=False))
        result.written += 1
    out.write("\n]}\n")
    return result


# --- JSONL --------------------------------------------------------------------------------


def provenance_record(entry: Entry) -> dict[str, Any]:
    """Everything known about an incident: the analysts' reading, the machine's values
    they corrected, the claims with their evidence spans, and the reports."""
    record = incident_record(entry.incident, entry.verdict)
    record.setdefault("verdict", None)
    for key in ("zones", "agreements", "reasons"):
        record.setdefault(key, [])
    record["first_recorded"] = _iso(entry.first_recorded)
    record["assessed_at"] = _iso(entry.assessed_at)
    record["review"] = review_record(entry.review)
    record["claims"] = [{"id": c.id, "report_id": c.report_id, **claim_record(c.claim)}
                        for c in entry.claims]
    record["reports"] = [source_record(report) for report in entry.reports]
    return record


def review_record(review: ReviewState) -> dict[str, Any]:
    return {
        "status": review.status.value,
        "decision": review.decision.value if review.decision else None,
        "assigned_to": review.assigned_to,
        "agree": review.agree,
        "disagree": review.disagree,
        "corrections": [
            {"field": o.field, "machine_value": o.machine_value,
             "analyst_value": o.analyst_value, "note": o.note, "user": o.user,
             "at": _iso(o.created_at)}
            for o in review.overrides.values()
        ],
    }


def source_record(report: SourceReport) -> dict[str, Any]:
    return {"id": report.id, "kind": report.kind, "title": report.title, "url": report.url,
            "outlet": report.outlet,
            "published": report.published.isoformat() if report.published else None,
            "content_hash": report.content_hash, "ingested_at": _iso(report.ingested_at)}


def write_jsonl(entries: Iterable[Entry], out: TextIO, columns: tuple[str, ...],
                scenario: Scenario | None = None) -> ExportResult:
    result = ExportResult()
    for entry in entries:
        record = provenance_record(entry)
        out.write(json.dumps({key: record[key] for key in columns}, ensure_ascii=False))
        out.write("\n")
        result.written += 1
    return result


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None
