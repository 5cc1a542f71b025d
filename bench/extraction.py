"""Extraction: trucewatch's extractor beside the pipeline a user would assemble.

The do-it-yourself pipeline is spaCy for places, dateparser for dates and regexes for
tolls. No trained spaCy English model installs from PyPI (en_core_web_sm is published on
GitHub releases only), so it runs spaCy's blank English tokenizer and sentencizer with an
EntityRuler whose patterns are the gazetteer's place names: the same places trucewatch
knows, found by spaCy's matcher instead of trucewatch's.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from common import Figure, missing, own_peak_mb

from trucewatch.ingest import read_document
from trucewatch.model import Report
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = date(2017, 7, 4)

EVENT = re.compile(r"\b(air ?strikes?|raids?|shell(?:s|ed|ing)|bomb(?:s|ed|ing)?|clash(?:es|ed)?|"
                   r"rockets?|mortars?|missiles?|explosions?|attack(?:s|ed)?|sniper)\b", re.I)
NUMBER = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?)"
KILLED = re.compile(rf"\b{NUMBER}\s+(?:\w+\s+){{0,3}}?(?:were\s+)?(?:killed|dead|died)|"
                    rf"killing\s+(?:at least\s+)?{NUMBER}", re.I)
WOUNDED = re.compile(rf"\b{NUMBER}\s+(?:\w+\s+){{0,3}}?(?:were\s+)?(?:wounded|injured)|"
                     rf"(?:wounding|injuring)\s+(?:at least\s+)?{NUMBER}", re.I)
DATE = re.compile(r"\b(?:on\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                  r"yesterday|today|\d{1,2}\s+(?:January|February|March|April|May|June|July|"
                  r"August|September|October|November|December)(?:\s+\d{4})?|"
                  r"(?:January|February|March|April|May|June|July|August|September|October|"
                  r"November|December)\s+\d{1,2}(?:,?\s+\d{4})?)\b")


def articles() -> list[Report]:
    """The demo reports and the seed article: the inputs of both pipelines."""
    demo = Path(str(resources.files("trucewatch") / "demo"))
    paths = [*sorted(demo.glob("*.txt")), ROOT / "tests/fixtures/seed_article.txt"]
    return [read_document(p, published=PUBLISHED) for p in paths]


def trucewatch_extract(n: int) -> Figure:
    pipeline = Pipeline.for_scenario(load_scenario("astana-2017"), default_gazetteer())
    reports = articles()
    pipeline.claims(replace(reports[0]))  # warm caches: vocabulary, gazetteer index
    found = 0
    start = time.perf_counter()
    for i in range(n):
        found += len(pipeline.claims(replace(reports[i % len(reports)])))
    rate = n / (time.perf_counter() - start)
    return Figure(rate, own_peak_mb(), f"{n:,} articles, {found:,} incidents")


def diy_extract(n: int) -> Figure:
    try:
        import dateparser
        import spacy
    except ImportError as exc:
        return missing(f"not installed ({exc.name}): make bench installs the bench extra")
    pipeline = Pipeline.for_scenario(None, default_gazetteer())
    names = sorted({name for entry in pipeline.gazetteer.entries for name in entry.names})
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler: Any = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": name} for name in names])
    reports = articles()
    base = datetime(PUBLISHED.year, PUBLISHED.month, PUBLISHED.day)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    dateparser.parse("Tuesday", settings=settings)  # warm its language data
    found = 0
    start = time.perf_counter()
    for i in range(n):
        found += len(_diy_claims(nlp, dateparser, reports[i % len(reports)].text, settings))
    rate = n / (time.perf_counter() - start)
    return Figure(rate, own_peak_mb(), f"{n:,} articles, {found:,} incidents; blank English "
                  f"tokenizer + EntityRuler of {len(names)} gazetteer names (no spaCy model "
                  "installs from PyPI)")


def _diy_claims(nlp: Any, dateparser: Any, text: str, settings: dict[str, Any]
                ) -> list[dict[str, Any]]:
    """One claim per sentence that names an event and a place, with its date and tolls."""
    claims = []
    for sentence in nlp(text).sents:
        places = [e.text for e in sentence.ents if e.label_ == "GPE"]
        if not places or not EVENT.search(sentence.text):
            continue
        day = DATE.search(sentence.text)
        killed, wounded = KILLED.search(sentence.text), WOUNDED.search(sentence.text)
        claims.append({
            "place": places[0],
            "date": dateparser.parse(day.group(1), settings=settings) if day else None,
            "killed": next((g for g in killed.groups() if g), None) if killed else None,
            "wounded": next((g for g in wounded.groups() if g), None) if wounded else None,
        })
    return claims
