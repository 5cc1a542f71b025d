"""Where the ledger lived before the service package; imports of it keep working."""

from trucewatch.service.ledger import SCENARIO_FILES, Ledger, scenario_from_definition

__all__ = ["SCENARIO_FILES", "Ledger", "scenario_from_definition"]
