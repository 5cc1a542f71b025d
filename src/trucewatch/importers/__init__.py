"""Conflict-event datasets read as claims: ACLED's CSV export (today's layout and the one
before 2019), UCDP GED's CSV and API pages, and GDELT 1.0's and 2.0's event tables. One
module per format; ``READERS`` names them for the command line.
Storing and merging what they read is ``trucewatch.store.imports``'s work."""

from __future__ import annotations

from trucewatch.importers import acled, ucdp
from trucewatch.importers.common import Actors, BadRow, Ignored, Outcome, Reader, Row
from trucewatch.importers.gdelt import GdeltReader

READERS: dict[str, Reader] = {
    "acled": acled.READER,
    "ucdp": ucdp.READER,
    "gdelt": GdeltReader(),
}

__all__ = ["READERS", "Actors", "BadRow", "Ignored", "Outcome", "Reader", "Row"]
