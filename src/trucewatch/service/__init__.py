"""The application layer: every use case of the ledger (ingest, import, merge, assess,
review, split and join, withdraw, read, export, report, digest) as methods of
:class:`Ledger`. The command line, the API and the pages call it and nothing below it;
``store`` only persists, the stages (extract, merge, assess) stay pure."""

from trucewatch.service.ledger import SCENARIO_FILES, Ledger, scenario_from_definition
from trucewatch.store.effective import CORRECTABLE
from trucewatch.store.review import Decision, SavedSearch, TriageStatus
from trucewatch.store.selection import SORTS, VIOLATIONS, IncidentFilter
from trucewatch.store.stream import Entry

# What the edges read and pass: the types of the service's answers and arguments.
__all__ = ["CORRECTABLE", "SCENARIO_FILES", "SORTS", "VIOLATIONS", "Decision", "Entry",
           "IncidentFilter", "Ledger", "SavedSearch", "TriageStatus",
           "scenario_from_definition"]
