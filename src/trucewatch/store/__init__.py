"""The store: SQLAlchemy tables, Alembic migrations, and the ledger's reads and writes."""

from trucewatch.store.database import Database
from trucewatch.store.repository import IncidentFilter, IngestResult

__all__ = ["Database", "IncidentFilter", "IngestResult"]
