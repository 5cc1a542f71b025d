"""One router per resource."""

from __future__ import annotations

from trucewatch.edge.session import IncidentId as IncidentId
