"""The application layer: every use case of the ledger (ingest, import, merge, assess,
review, split and join, withdraw, read, export, report, digest) as methods of
:class:`Ledger`, and those that need no ledger (reading articles, checking them against a
scenario, scenarios, places: ``service.standalone``). The command line, the API and the
pages call it and nothing below it; ``store`` only persists, the stages (extract, merge,
assess) stay pure."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what mypy and a reader see; at run time __getattr__ below loads them
    from trucewatch.geo.gazetteer import Gazetteer
    from trucewatch.importers import BadRow
    from trucewatch.ingest.documents import check_text
    from trucewatch.publish.digest import top_sentence
    from trucewatch.publish.export import ExportFormat
    from trucewatch.publish.records import claim_record, incident_record
    from trucewatch.scenario import builtin_scenarios
    from trucewatch.service.ledger import SCENARIO_FILES, Ledger, scenario_from_definition
    from trucewatch.store.database import Database
    from trucewatch.store.effective import CORRECTABLE
    from trucewatch.store.queries import (
        ClaimView,
        EvidenceView,
        IncidentDetail,
        IncidentView,
        ReportView,
    )
    from trucewatch.store.review import (
        AuditEntry,
        Decision,
        ReviewState,
        SavedSearch,
        TriageStatus,
    )
    from trucewatch.store.selection import ARTICLES, DATASETS, SORTS, VIOLATIONS, IncidentFilter
    from trucewatch.store.stream import Entry

# What the edges read and pass: the types of the service's answers and arguments, and the
# few pure helpers they show them with (a report text's check, records, a digest line, the
# shipped scenarios). The edges take them from here, never from the layers below (the
# import-linter contracts hold it). Each is loaded on first use, not when the package is:
# `trucewatch extract` imports `service.standalone`, which runs this file, and must not pay
# for SQLAlchemy (tests/test_cli_startup.py); tests/test_cli_startup.py holds this table,
# __all__ and the imports above the same.
_HOMES = {
    "ARTICLES": "trucewatch.store.selection", "DATASETS": "trucewatch.store.selection",
    "SORTS": "trucewatch.store.selection", "VIOLATIONS": "trucewatch.store.selection",
    "IncidentFilter": "trucewatch.store.selection",
    "AuditEntry": "trucewatch.store.review", "Decision": "trucewatch.store.review",
    "ReviewState": "trucewatch.store.review", "SavedSearch": "trucewatch.store.review",
    "TriageStatus": "trucewatch.store.review",
    "ClaimView": "trucewatch.store.queries", "EvidenceView": "trucewatch.store.queries",
    "IncidentDetail": "trucewatch.store.queries", "IncidentView": "trucewatch.store.queries",
    "ReportView": "trucewatch.store.queries",
    "CORRECTABLE": "trucewatch.store.effective", "Database": "trucewatch.store.database",
    "Entry": "trucewatch.store.stream",
    "SCENARIO_FILES": "trucewatch.service.ledger", "Ledger": "trucewatch.service.ledger",
    "scenario_from_definition": "trucewatch.service.ledger",
    "ExportFormat": "trucewatch.publish.export", "top_sentence": "trucewatch.publish.digest",
    "claim_record": "trucewatch.publish.records",
    "incident_record": "trucewatch.publish.records",
    "builtin_scenarios": "trucewatch.scenario", "check_text": "trucewatch.ingest.documents",
    "Gazetteer": "trucewatch.geo.gazetteer", "BadRow": "trucewatch.importers",
}

__all__ = ["ARTICLES", "CORRECTABLE", "DATASETS", "SCENARIO_FILES", "SORTS", "VIOLATIONS",
           "AuditEntry", "BadRow", "ClaimView", "Database", "Decision", "Entry", "EvidenceView",
           "ExportFormat", "Gazetteer", "IncidentDetail", "IncidentFilter", "IncidentView",
           "Ledger", "ReportView", "ReviewState", "SavedSearch", "TriageStatus",
           "builtin_scenarios", "check_text", "claim_record", "incident_record",
           "scenario_from_definition", "top_sentence"]

if not TYPE_CHECKING:  # mypy reads the imports above; an unknown name stays an error there

    def __getattr__(name: str) -> Any:
        """A name of the table above, imported from its home on first use. Any other name
        is an AttributeError, so `from trucewatch.service import ingesting` still finds the
        submodule."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        globals()[name] = value  # the next lookup is a plain one
        return value
