"""Near-copies of reports: what the check costs per report, and in an ingest.

Generated articles of 350-600 words (words drawn from the demo reports' vocabulary, with
one agency boilerplate line shared by all); one in ten is an outlet's copy of an earlier
one (new headline, a paragraph dropped, boilerplate trimmed). Each is stored through
``repository.ingest_report`` with one ready claim, so the figures are the store's and the
check's, not the extractor's (reading a report takes ~85 ms more; see bench/extraction.py).

    .venv/bin/python bench/near_duplicates.py [--reports 1000] [--rounds 3] [--db URL]

prints: the time to fingerprint a text (MinHash signature and band keys) and to look it
up in a ledger of that many reports; the ingest with the check and without it (the
check's three calls replaced by no-ops); copies planted and found, and false copies.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from trucewatch.ingest import near_duplicates as nd
from trucewatch.model import Casualties, Claim, EventType, Place, Report
from trucewatch.store import copies, repository
from trucewatch.store.database import Database

BOILERPLATE = ("Copyright Agence France-Presse. All rights reserved. This material may not be "
               "published, broadcast, rewritten or redistributed.")


def vocabulary() -> list[str]:
    folder = resources.files("trucewatch") / "demo"
    text = " ".join(f.read_text(encoding="utf-8") for f in folder.iterdir()
                    if f.name.endswith(".txt"))
    return sorted(set(re.findall(r"[A-Za-z]+", text)))


def articles(count: int, seed: int = 7) -> tuple[list[str], set[int]]:
    """``count`` texts; the indexes of those that are copies of an earlier one."""
    rng, words = random.Random(seed), vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf-like, as prose is
    texts: list[str] = []
    planted: set[int] = set()
    for n in range(count):
        if n > 10 and rng.random() < 0.1:
            source = texts[rng.randrange(len(texts))].split("\n\n")
            body = source[1:-1]
            del body[rng.randrange(len(body))]
            texts.append("\n\n".join(["An outlet's own headline", *body, "(c) AFP"]))
            planted.add(n)
            continue
        paragraphs = [" ".join(rng.choices(words, weights, k=rng.randint(45, 75)))
                      for _ in range(8)]
        texts.append("\n\n".join([" ".join(rng.choices(words, k=9)), *paragraphs, BOILERPLATE]))
    return texts, planted


def claim(n: int) -> Claim:
    return Claim(event_type=EventType.AIR_STRIKE, event_date=date(2017, 1 + n % 12, 1 + n % 28),
                 location=Place(f"Town {n % 300}", lat=33 + (n % 300) / 100, lon=36.0),
                 killed=Casualties.exact(n % 7))


def ingest(url: str, texts: list[str], *, check: bool) -> tuple[float, list[Any]]:
    db = Database(url)
    db.init()
    saved = (repository.fingerprint, copies.find_original, copies.index_report)
    if not check:  # the ingest as it was before the check
        empty = nd.Fingerprint(frozenset(), (), frozenset(), ())
        repository.fingerprint = lambda _text: empty  # type: ignore[assignment]
        copies.find_original = lambda _session, _found: None  # type: ignore[assignment]
        copies.index_report = lambda _session, _id, _found: None  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        results = [repository.ingest_report(db, Report(text=text, source=f"bench-{n}"),
                                            [claim(n)], None)
                   for n, text in enumerate(texts)]
        return time.perf_counter() - start, results
    finally:
        repository.fingerprint, copies.find_original, copies.index_report = saved
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", help="a PostgreSQL URL for the ledger with the check "
                        "(default: a temporary SQLite file); the one without is SQLite")
    args = parser.parse_args()
    texts, planted = articles(args.reports)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words:.0f} words on average, {len(planted)} copies planted")

    nd.fingerprint(texts[0])  # datasketch's import and the permutations, once per process
    times = []
    for text in texts:
        start = time.perf_counter()
        nd.fingerprint(text)
        times.append(time.perf_counter() - start)
    print(f"fingerprint (shingles, MinHash of 128, 25 band keys): "
          f"mean {statistics.mean(times) * 1e3:.2f} ms, p99 "
          f"{statistics.quantiles(times, n=100)[98] * 1e3:.2f} ms")

    with tempfile.TemporaryDirectory() as folder:
        # Alternated, best of --rounds each: the machine is shared, and the later of two
        # runs would otherwise pay for whatever else started meanwhile.
        without = with_check = float("inf")
        for round_ in range(args.rounds):
            url_with = args.db or f"sqlite:///{Path(folder) / f'with{round_}.db'}"
            url_without = f"sqlite:///{Path(folder) / f'without{round_}.db'}"
            without = min(without, ingest(url_without, texts, check=False)[0])
            seconds, results = ingest(url_with, texts, check=True)
            with_check = min(with_check, seconds)
            if args.db and round_ + 1 < args.rounds:
                raise SystemExit("--db: one round only (the ledger is not emptied)")
        found = {n for n, r in enumerate(results) if r.copy_of is not None}
        exact = {n for n, r in enumerate(results) if not r.created}  # the content hash's
        print(f"ingest of {len(texts)} reports, one claim each: without the check "
              f"{without:.2f} s ({without / len(texts) * 1e3:.2f} ms a report), with it "
              f"{with_check:.2f} s ({with_check / len(texts) * 1e3:.2f} ms a report)")
        print(f"copies found {len(found & planted)} of {len(planted - exact)} (and "
              f"{len(exact)} exact copies the content hash found), false copies "
              f"{len(found - planted)}")

        # The look-up alone, against the full ledger: 100 new texts, 100 copies of stored ones.
        db = Database(url_with)
        lookups = []
        rng = random.Random(3)
        copied = [t.split("\n\n") for t in rng.sample(texts, 100)]
        probes = articles(100, seed=11)[0] + [
            "\n\n".join(["Another headline", *parts[1:3], *parts[4:-1]]) for parts in copied]
        for text in probes:
            found_print = nd.fingerprint(text)
            with db.reading() as session:
                start = time.perf_counter()
                copies.find_original(session, found_print)
                lookups.append(time.perf_counter() - start)
        for label, part in (("a new text", lookups[:100]), ("a copy", lookups[100:])):
            print(f"look-up of {label} in a ledger of {len(texts)} reports: mean "
                  f"{statistics.mean(part) * 1e3:.2f} ms, p99 "
                  f"{statistics.quantiles(part, n=100)[98] * 1e3:.2f} ms")
        db.engine.dispose()


if __name__ == "__main__":
    main()
