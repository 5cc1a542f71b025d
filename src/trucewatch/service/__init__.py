"""The application layer: every use case of the ledger (ingest, import, merge, assess,
review, split and join, withdraw, read, export, report, digest) as methods of
:class:`Ledger`. The command line, the API and the pages call it and nothing below it;
``store`` only persists, the stages (extract, merge, assess) stay pure."""

from trucewatch.service.ledger import SCENARIO_FILES, Ledger, scenario_from_definition
from trucewatch.store.effective import CORRECTABLE
from trucewatch.store.review import Decision, TriageStatus
from trucewatch.store.selection import SORTS, VIOLATIONS, IncidentFilter

__all__ = ["CORRECTABLE", "SCENARIO_FILES", "SORTS", "VIOLATIONS", "Decision",
           "IncidentFilter", "Ledger", "TriageStatus", "scenario_from_definition"]
