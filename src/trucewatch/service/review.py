"""The analysts' use cases: correct, revert, confirm or reject, vote, triage, the audit
log and saved searches. A correction is judged against the ledger's scenario, so every
edge gets the same re-assessment (store/effective.py writes it into the rows)."""

from __future__ import annotations

from typing import Any

from trucewatch.model import Scenario
from trucewatch.store import review
from trucewatch.store.database import Database
from trucewatch.store.review import AuditEntry, Decision, SavedSearch, TriageStatus


class ReviewCases:
    """Mixed into Ledger: needs its database and its scenario (when one is loaded)."""

    db: Database

    def _scenario_or_none(self, name_or_path: Any) -> Scenario | None:
        raise NotImplementedError  # Ledger's

    def correct(self, incident_id: int, user_id: int, values: dict[str, Any],
                note: str | None = None) -> None:
        self.db.require_current()
        review.correct(self.db, incident_id, user_id, values, note,
                       scenario=self._scenario_or_none(None))

    def revert(self, incident_id: int, user_id: int, field_name: str,
               note: str | None = None) -> None:
        self.db.require_current()
        review.revert(self.db, incident_id, user_id, field_name, note,
                      scenario=self._scenario_or_none(None))

    def decide(self, incident_id: int, user_id: int, decision: Decision,
               note: str | None = None) -> None:
        self.db.require_current()
        review.decide(self.db, incident_id, user_id, decision, note)

    def vote(self, incident_id: int, user_id: int, value: int | None) -> None:
        review.vote(self.db, incident_id, user_id, value)

    def set_triage(self, incident_id: int, user_id: int, status: TriageStatus,
                   assigned_to: int | None = None, note: str | None = None) -> None:
        review.set_triage(self.db, incident_id, user_id, status, assigned_to, note)

    def audit(self, *, incident_id: int | None = None, username: str | None = None,
              limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
        return review.audit(self.db, incident_id=incident_id, username=username,
                            limit=limit, offset=offset)

    def searches(self, user_id: int) -> list[SavedSearch]:
        return review.list_searches(self.db, user_id)

    def search_named(self, user_id: int, search_id: int) -> SavedSearch:
        return review.get_search(self.db, user_id, search_id)

    def save_search(self, user_id: int, name: str, filters: dict[str, Any],
                    search_id: int | None = None) -> SavedSearch:
        return review.save_search(self.db, user_id, name, filters, search_id)

    def delete_search(self, user_id: int, search_id: int) -> None:
        review.delete_search(self.db, user_id, search_id)
