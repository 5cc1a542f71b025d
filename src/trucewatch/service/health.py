"""The ledger's health as the edges see it: the doctor's checks, a database fault told in
one line, a database URL fit to print.

The store does the work (``store/doctor.py``, ``store/database.py``); the command line
reaches it through here, as it reaches every other use case through the service.
"""

from __future__ import annotations

from trucewatch.store.database import describe_error, url_for_people
from trucewatch.store.doctor import Finding, check_ledger, healthy

__all__ = ["Finding", "check_ledger", "describe_error", "healthy", "url_for_people"]
