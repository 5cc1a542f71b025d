"""Measuring the extractor on annotated articles (`trucewatch eval`).

Gold format, one JSON object per line (the development corpus's own):
``{"id", "published", "incidents": [{"event_type", "event_date", "location",
"admin1", "country", "perpetrator", "killed", "killed_max", "wounded",
"wounded_max", "sources"}]}``. ``event_type`` is a coarse type (air_strike,
shelling, armed_clash, explosion_ied, attack_on_civilians; other_violence and
ceasefire_violation_report accept any type); ``location`` and ``event_date`` may
be lists of accepted answers; a count is right when the predicted best lies in
[killed, killed_max]. The article for id N is ``N.txt`` (or .html) in the folder.

Incidents are paired greedily, each gold incident with its best-scoring
prediction (place 2, date 1, type 0.5; at least 2 to pair), as the project's
scoring script does, so the two report the same figures on the same files.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from trucewatch.errors import InputError

COARSE_TYPES: dict[str, set[str] | None] = {
    "air_strike": {"Air/drone strike"},
    "shelling": {"Shelling/artillery/missile attack"},
    "armed_clash": {"Armed clash"},
    "explosion_ied": {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"},
    "attack_on_civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "other_violence": None,
    "ceasefire_violation_report": None,
}
FIELDS = ("event_type", "event_date", "location", "killed", "wounded")
_ARTICLE_PREFIXES = ("al ", "el ", "ad ", "ar ", "as ", "at ", "az ", "an ", "ash ", "the ")


@dataclass
class Scores:
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    source_recall_sum: float = 0.0
    source_recall_n: int = 0
    main_right: int = 0
    main_total: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.matched if self.matched else 0.0

    @property
    def sources(self) -> float:
        return self.source_recall_sum / self.source_recall_n if self.source_recall_n else 0.0

    @property
    def main(self) -> float:
        return self.main_right / self.main_total if self.main_total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles, "gold": self.gold, "predicted": self.predicted,
            "matched": self.matched, "precision": round(self.precision, 3),
            "recall": round(self.recall, 3), "f1": round(self.f1, 3),
            "fields": {name: round(self.accuracy(name), 3) for name in FIELDS},
            "sources_recall": round(self.sources, 3), "main": round(self.main, 3),
        }


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The gold lines; a line that is not JSON or has no id names its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from exc
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not JSON: {exc.msg}", number) from exc
        if not isinstance(row, dict) or "id" not in row:
            raise InputError(str(path), "each line needs an object with an 'id'", number)
        rows.append(row)
    return rows


def evaluate(
    gold_rows: Iterable[dict[str, Any]],
    predict: Callable[[dict[str, Any]], list[dict[str, Any]] | None],
) -> Scores:
    """Score ``predict`` (gold row -> predicted incident records, or None when the
    article could not be read) against the gold rows."""
    scores = Scores()
    for row in gold_rows:
        scores.articles += 1
        predicted = predict(row)
        if predicted is None:
            scores.notes.append(f"{row['id']}: no prediction")
            predicted = []
        _score_article(str(row["id"]), list(row.get("incidents") or []), predicted, scores)
    return scores


def _score_article(article: str, gold: list[dict[str, Any]], predicted: list[dict[str, Any]],
                   scores: Scores) -> None:
    scores.gold += len(gold)
    scores.predicted += len(predicted)
    used: set[int] = set()
    for k, g in enumerate(gold):
        candidates = [(_pair_score(g, p), j) for j, p in enumerate(predicted) if j not in used]
        candidates = [c for c in candidates if c[0] >= 2]
        if not candidates:
            scores.main_total += k == 0
            scores.notes.append(f"{article}: missed {g.get('event_type')} {g.get('location')} "
                                f"{g.get('event_date')}")
            continue
        _, j = max(candidates)
        used.add(j)
        p = predicted[j]
        scores.matched += 1
        ok = {
            "event_type": _type_ok(g.get("event_type", ""), p.get("event_type")),
            "event_date": _date_ok(g.get("event_date"), p.get("event_date")),
            "location": _names_match(g.get("location"), _location(p)[0]),
            "killed": _count_ok(g.get("killed"), g.get("killed_max"), p.get("killed")),
            "wounded": _count_ok(g.get("wounded"), g.get("wounded_max"), p.get("wounded")),
        }
        for name in FIELDS:
            scores.right[name] += ok[name]
        recall = _sources_recall(g.get("sources") or [], p.get("sources") or [])
        if recall is not None:
            scores.source_recall_sum += recall
            scores.source_recall_n += 1
        if k == 0:
            scores.main_total += 1
            scores.main_right += all(ok.values())
        if not all(ok.values()):
            wrong = [name for name in FIELDS if not ok[name]]
            scores.notes.append(f"{article}: wrong {', '.join(wrong)} at {_location(p)[0]}")
    for j, p in enumerate(predicted):
        if j not in used:
            scores.notes.append(f"{article}: extra {p.get('event_type')} {_location(p)[0]} "
                                f"{p.get('event_date')}")


def fold(text: str | None) -> str:
    """Lower-case ASCII letters and digits; marks, spaces and the article dropped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019'`\u02bf\u02be]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    for prefix in _ARTICLE_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text.replace(" ", "")


def _names_match(gold: Any, predicted: str | None) -> bool:
    if isinstance(gold, list):
        return any(_names_match(g, predicted) for g in gold)
    g, p = fold(gold), fold(predicted)
    if not g or not p:
        return False
    if g == p or (len(g) >= 4 and g in p) or (len(p) >= 4 and p in g):
        return True
    return difflib.SequenceMatcher(None, g, p).ratio() >= 0.8


def _location(record: dict[str, Any]) -> tuple[str | None, str | None]:
    location = record.get("location")
    if isinstance(location, dict):
        return location.get("name"), location.get("admin1")
    return location, None


def _best(value: Any) -> int | None:
    return value.get("best") if isinstance(value, dict) else value


def _type_ok(gold_type: str, predicted: str | None) -> bool:
    allowed = COARSE_TYPES.get(gold_type)
    return True if allowed is None else predicted in allowed


def _count_ok(low: int | None, high: int | None, predicted: Any) -> bool:
    value = _best(predicted)
    if low is None:
        return value in (None, 0) if high is None else value is None
    top = high if high is not None else low
    return value is not None and min(low, top) <= value <= max(low, top)


def _date_ok(gold: Any, predicted: str | None) -> bool:
    if isinstance(gold, list):
        return (predicted or None) in [g or None for g in gold]
    return (gold or None) == (predicted or None)


def _sources_recall(gold: list[str], predicted: list[str]) -> float | None:
    if not gold:
        return None
    hits = 0
    for g in gold:
        gold_words = {fold(w) for w in re.split(r"\W+", g.lower()) if len(w) > 3}
        for p in predicted:
            words = {fold(w) for w in re.split(r"\W+", str(p).lower()) if len(w) > 3}
            if gold_words and len(gold_words & words) / len(gold_words) >= 0.5:
                hits += 1
                break
    return hits / len(gold)


def _pair_score(g: dict[str, Any], p: dict[str, Any]) -> float:
    name, admin1 = _location(p)
    score = 0.0
    if _names_match(g.get("location"), name):
        score += 2
    elif _names_match(g.get("location"), admin1) or _names_match(g.get("admin1"), name):
        score += 0.5
    if g.get("event_date") and _date_ok(g.get("event_date"), p.get("event_date")):
        score += 1
    if _type_ok(g.get("event_type", ""), p.get("event_type")):
        score += 0.5
    return score


def published_of(row: dict[str, Any]) -> date | None:
    value = row.get("published")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
