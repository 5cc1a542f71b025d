"""Extraction: a report's text -> claims, one per violent event it tells, each with the
sentences behind its fields.

Rule-based and offline: vocabulary in ``data/vocabulary.yaml``, places from the
gazetteer, actors from the scenario's dictionary. Never raises on odd text: a
page with nothing to read yields no claim.
"""

from __future__ import annotations

from trucewatch.actors import ActorDictionary
from trucewatch.extract.dates import Dateline, read_dateline
from trucewatch.extract.events import EventReader
from trucewatch.extract.sentences import split_sentences
from trucewatch.extract.vocabulary import vocabulary
from trucewatch.geo.gazetteer import Gazetteer
from trucewatch.model import Claim, Report

# Past this many characters a page is not a news report; the rest is not read.
MAX_TEXT_CHARS = 200_000


def extract_claims(
    report: Report,
    *,
    gazetteer: Gazetteer | None = None,
    actors: ActorDictionary | None = None,
) -> list[Claim]:
    """Every event the report says happened, as claims with evidence spans."""
    text = report.text[:MAX_TEXT_CHARS]
    if not text.strip():
        return []
    dateline = read_dateline(text)
    reader = EventReader(
        vocabulary(),
        gazetteer or Gazetteer.default(),
        actors,
        report.text,
        report.published or dateline.published,
        report.outlet or dateline.outlet,
        (dateline.start, dateline.end)
        if dateline.start is not None and dateline.end is not None else None,
    )
    claims = reader.read(split_sentences(text))
    for claim in claims:
        claim.report_hash = report.content_hash
    return claims


__all__ = ["Dateline", "extract_claims", "read_dateline"]
