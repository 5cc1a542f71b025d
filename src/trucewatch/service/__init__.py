"""The application layer: every use case of the ledger (ingest, import, merge, assess,
review, split and join, withdraw, read, export, report, digest) as methods of
:class:`Ledger`. The command line, the API and the pages call it and nothing below it;
``store`` only persists, the stages (extract, merge, assess) stay pure."""

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
from trucewatch.store.review import AuditEntry, Decision, ReviewState, SavedSearch, TriageStatus
from trucewatch.store.selection import ARTICLES, DATASETS, SORTS, VIOLATIONS, IncidentFilter
from trucewatch.store.stream import Entry

# What the edges read and pass: the types of the service's answers and arguments, and the
# few pure helpers they show them with (a report text's check, records, a digest line, the
# shipped scenarios). The edges take them from here, never from the layers below (an
# import-linter contract holds it).
__all__ = ["ARTICLES", "CORRECTABLE", "DATASETS", "SCENARIO_FILES", "SORTS", "VIOLATIONS",
           "AuditEntry", "ClaimView", "Database", "Decision", "Entry", "EvidenceView",
           "ExportFormat", "IncidentDetail", "IncidentFilter", "IncidentView", "Ledger",
           "ReportView", "ReviewState", "SavedSearch", "TriageStatus", "builtin_scenarios",
           "check_text", "claim_record", "incident_record", "scenario_from_definition",
           "top_sentence"]
