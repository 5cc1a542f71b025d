"""A report's text cut into pieces for highlighting the evidence spans in a page.

Spans may overlap (one sentence often gives the date, the place and the toll), so the
text is cut at every span boundary and each piece carries the fields that cover it.
The pieces are plain strings: the template escapes them, so script in a report shows
as text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any


@dataclass(slots=True)
class Piece:
    text: str
    fields: list[str] = field(default_factory=list)  # empty: not evidence
    labels: list[str] = field(default_factory=list)  # fields whose span starts here
    anchor: str | None = None  # id of the first span starting here, for links


def pieces(text: str, spans: Iterable[Mapping[str, Any]]) -> list[Piece]:
    """Cut ``text`` at every start and end of ``spans`` (dicts with field, start, end
    and id, as the API gives them). Spans outside the text are clipped, never trusted."""
    size = len(text)
    clean = []
    for span in spans:
        start, end = max(0, int(span["start"])), min(size, int(span["end"]))
        if start < end:
            clean.append((start, end, str(span["field"]), str(span.get("id") or "")))
    cuts = sorted({0, size, *(s for s, _, _, _ in clean), *(e for _, e, _, _ in clean)})
    result = []
    for left, right in pairwise(cuts):
        covering = [c for c in clean if c[0] <= left and right <= c[1]]
        starting = [c for c in clean if c[0] == left]
        result.append(Piece(
            text=text[left:right],
            fields=_unique(c[2] for c in covering),
            labels=_unique(c[2] for c in starting),
            anchor=starting[0][3] if starting and starting[0][3] else None,
        ))
    return result


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
