"""The store: SQLAlchemy tables, Alembic migrations, and the ledger's reads and writes."""

from trucewatch.store.database import Database
from trucewatch.store.repository import IngestResult
from trucewatch.store.selection import IncidentFilter

__all__ = ["Database", "IncidentFilter", "IngestResult"]
