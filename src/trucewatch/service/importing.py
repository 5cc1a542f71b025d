"""What the edges need to tell how a dataset import went: its summary, that summary and
its bad rows as JSON-ready records, and the default rows per transaction.

``Ledger.import_file`` and ``Ledger.withdraw_acled_deletions`` run the import; the store
keeps the summary's shape (``store/imports.py``). The command line reaches them here, not
in the store.
"""

from __future__ import annotations

from trucewatch.store.imports import BATCH_SIZE, ImportSummary, bad_rows_record, summary_record

IMPORT_BATCH_SIZE = BATCH_SIZE

__all__ = ["IMPORT_BATCH_SIZE", "ImportSummary", "bad_rows_record", "summary_record"]
