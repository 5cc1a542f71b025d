"""One router per resource."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# Bounded so that no id reaches the database as a number it cannot hold.
IncidentId = Annotated[int, Path(ge=1, le=2**62, description="Incident id.")]
