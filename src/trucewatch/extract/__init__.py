"""Extraction: a report's text -> claims, one per violent event it tells, each with the
sentences behind its fields.

Rule-based and offline: vocabulary in ``data/vocabulary.yaml``, places from the
gazetteer, actors from the scenario's dictionary. Never raises on odd text: a
page with nothing to read yields no claim.
"""

from __future__ import annotations

import re

from trucewatch.actors import ActorDictionary
from trucewatch.extract.dates import Dateline, read_dateline
from trucewatch.extract.events import EventReader
from trucewatch.extract.sentences import split_sentences
from trucewatch.extract.vocabulary import vocabulary
from trucewatch.geo.gazetteer import Gazetteer
from trucewatch.model import Claim, Report

# Past this many characters a page is not a news report; the rest is not read.
MAX_TEXT_CHARS = 200_000
# Words every English news paragraph uses; a text with almost none is in another language.
_ENGLISH_WORDS = frozenset({
    "the", "of", "and", "in", "to", "a", "was", "were", "said", "on", "by", "for", "at",
    "with", "that", "from", "has", "have", "had", "is", "are",
})


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
    # Without a gazetteer (a script, a test), the shipped places alone: the world's are
    # passed down by the factories (trucewatch.pipeline.default_gazetteer).
    gazetteer = gazetteer or Gazetteer.shipped()
    reader = EventReader(
        vocabulary(),
        gazetteer,
        actors,
        report.text,
        report.published or dateline.published,
        (dateline.start, dateline.end)
        if dateline.start is not None and dateline.end is not None else None,
    )
    claims = reader.read(split_sentences(text), dateline.place)
    for claim in claims:
        claim.report_hash = report.content_hash
    return claims


def reading_notes(text: str) -> list[str]:
    """What a user should know about how a text was read: it is not English, or only
    its beginning was read."""
    notes = []
    words = re.findall(r"[^\W\d_]+", text[:20_000])
    if len(words) >= 20:
        latin = sum(1 for w in words if w.isascii())
        common = sum(1 for w in words if w.lower() in _ENGLISH_WORDS)
        if latin < len(words) / 2 or common < len(words) * 0.05:
            notes.append("the text does not look like English; the extractor reads English "
                         "news, so it found nothing or little")
    if len(text) > MAX_TEXT_CHARS:
        notes.append(f"only the first {MAX_TEXT_CHARS:,} of {len(text):,} characters were read")
    return notes


__all__ = ["Dateline", "extract_claims", "read_dateline", "reading_notes"]
