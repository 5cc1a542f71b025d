"""The application layer: every use case of the ledger (ingest, import, merge, assess,
review, split and join, withdraw, read, export, report, digest) as methods of
:class:`Ledger`. The command line, the API and the pages call it and nothing below it;
``store`` only persists, the stages (extract, merge, assess) stay pure."""

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
from trucewatch.store.review import AuditEntry, Decision, ReviewState, SavedSearch, TriageStatus
from trucewatch.store.selection import ARTICLES, DATASETS, SORTS, VIOLATIONS, IncidentFilter
from trucewatch.store.stream import Entry

# What the edges read and pass: the types of the service's answers and arguments. The
# edges take them from here, never from the store (an import-linter contract holds it).
__all__ = ["ARTICLES", "CORRECTABLE", "DATASETS", "SCENARIO_FILES", "SORTS", "VIOLATIONS",
           "AuditEntry", "ClaimView", "Database", "Decision", "Entry", "EvidenceView",
           "IncidentDetail", "IncidentFilter", "IncidentView", "Ledger", "ReportView",
           "ReviewState", "SavedSearch", "TriageStatus", "scenario_from_definition"]
