"""What `trucewatch extract ARTICLE` of one article costs, whole and by part (issue 17's
quick start: at most 0.5 CPU-s).

- whole: ``python -m trucewatch extract ARTICLE`` in a fresh process, ``runs`` times,
  CPU (user + system) as the kernel counted it (bench/common.run_command), min and
  median; the GeoNames index already built (warm cache: the first run builds it when
  missing and is not counted);
- parts: one fresh process (``--parts``) doing what the command does, step by step, each
  step's CPU read with ``time.process_time``: interpreter start (a ``python -c pass``
  beside it), the command line's modules, settings, the pipeline's modules, the scenario,
  the gazetteer, spaCy imported, the model loaded, the vocabulary, the world actors'
  catalogue, the article read (the first reading, with what it compiles on first use),
  and the same article read again (what an article costs once everything is loaded).

    .venv/bin/python bench/startup.py [ARTICLE] [--runs 3] [--parts]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import run_command  # bench/ is not a package: its folder is on the path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "fixtures" / "news_corpus" / "articles" / "a040.txt"

# The steps, run in order in one process; each a statement whose CPU is its part.
STEPS = [
    ("command line modules", "import trucewatch.cli, trucewatch.cli_reports"),
    ("settings", "from trucewatch.settings import load_settings; s = load_settings()"),
    ("pipeline modules", "import trucewatch.pipeline, trucewatch.publish.records"),
    ("scenario", "from trucewatch.scenario import load_scenario; sc = load_scenario(s.scenario)"),
    ("gazetteer", "from trucewatch.geo.gazetteer import Gazetteer; "
                  "g = Gazetteer.load(s.cache_dir, s.places_dir)"),
    ("spaCy imported", "import spacy"),
    ("model loaded", "from trucewatch.extract import language; language.pipeline()"),
    ("vocabulary", "from trucewatch.extract.vocabulary import vocabulary; vocabulary()"),
    ("world actors", "from trucewatch.world_actors import WorldActors; WorldActors.default()"),
    ("first article", "from trucewatch.pipeline import Pipeline; from trucewatch.ingest import "
                      "read_document; p = Pipeline.for_scenario(sc, g); "
                      "p.claims(read_document(ARTICLE))"),
    ("same article again", "p.claims(read_document(ARTICLE))"),
]

PROBE = """
import json, sys, time
ARTICLE = sys.argv[1]
steps = json.loads(sys.argv[2])
parts = {"interpreter": time.process_time()}
for name, code in steps:
    start = time.process_time()
    exec(code)
    parts[name] = time.process_time() - start
print(json.dumps(parts))
"""


def whole(article: Path, runs: int) -> list[float]:
    command = [sys.executable, "-m", "trucewatch", "extract", str(article)]
    run_command(command)  # builds the GeoNames index if missing; not counted
    return [run_command(command).cpu for _ in range(runs)]


def parts(article: Path, runs: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PROBE, str(article), json.dumps(STEPS)],
                             capture_output=True, text=True, check=True).stdout
        for name, cpu in json.loads(out).items():
            found.setdefault(name, []).append(cpu)
    found["(python -c pass)"] = [run_command([sys.executable, "-c", "pass"]).cpu
                                 for _ in range(runs)]
    return found


def line(name: str, cpu: list[float]) -> str:
    return f"{name:<24} min {min(cpu):6.3f}  median {statistics.median(cpu):6.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=ARTICLE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parts", action="store_true", help="also the parts, step by step")
    args = parser.parse_args()
    print(f"trucewatch extract {args.article.name}: CPU-s over {args.runs} fresh runs")
    print(line("whole command", whole(args.article, args.runs)))
    if args.parts:
        for name, cpu in parts(args.article, args.runs).items():
            print(line(name, cpu))


if __name__ == "__main__":
    main()
