"""Coverage-guided fuzzing of the dataset importers (atheris, libFuzzer): ACLED, UCDP GED
(CSV and API pages), GDELT (tab-separated, zipped) and ACLED's deletions, through the
readers ``trucewatch import`` uses, from file sniffing to the rows as stored.

    make fuzz-importers                        # 60 s (SECONDS_TO_FUZZ to change it)
    cd fuzz && ../.venv/bin/python fuzz_importers.py found/importers -max_total_time=600

The first byte of an input picks the reader and the file's name (so a .zip or .gz is
sniffed as one); the rest is the file. The seed corpus is the test fixtures in every
layout, written to found/importers on the first run. A refusal (InputError) or a bad row
(BadRow) is the expected outcome for junk; anything else that escapes is a bug, and so
is a stored row that breaks the ledger's bounds (a day outside the plausible range, a
toll past MAX_TOLL, coordinates off the globe, a control character in a text).
libFuzzer stops and writes the input as crash-<hash> in the working folder.
"""

from __future__ import annotations

import gzip
import io
import math
import re
import sys
import tempfile
import zipfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from trucewatch.errors import InputError
    from trucewatch.importers import READERS, Actors, Row
    from trucewatch.importers.acled import read_deletions
    from trucewatch.model import EARLIEST_DAY, MAX_TOLL, latest_day

# (reader, file name): the first byte of an input chooses one
KINDS = [("acled", "events.csv"), ("ucdp", "ged.csv"), ("ucdp", "page.json"),
         ("gdelt", "20170704.export.CSV"), ("gdelt", "20170704.export.CSV.zip"),
         ("acled", "events.csv.gz"), ("acled-deleted", "deleted.csv")]
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "importers"
SEEDS = {0: ["acled.csv", "acled_pre2019.csv", "acled_resaved.csv", "acled_poison.csv",
             "acled_us_dates.csv", "acled_api_dump.csv"],
         1: ["ucdp_ged.csv", "ucdp_ged_old.csv"], 2: ["ucdp_api/page_1.json"],
         3: ["20170704.export.CSV", "20130815.export.CSV", "200607.csv"],
         4: ["20170704.export.CSV"], 5: ["acled.csv"], 6: ["acled_deleted.csv"]}
FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-importers-"))
ACTORS = Actors(None)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # a note may hold line ends
TOLLS = ("killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best",
         "wounded_high")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    dataset, name = KINDS[data[0] % len(KINDS)]
    path = FOLDER / name
    path.write_bytes(data[1:])
    try:
        if dataset == "acled-deleted":
            for _ in read_deletions(path):
                pass
            return
        for outcome in READERS[dataset].read(path, ACTORS):
            if isinstance(outcome, Row):
                check(outcome)
    except InputError:
        return  # refused whole, with a reason


def check(row: Row) -> None:
    """A row the store would keep stays within the ledger's bounds."""
    claim = row.claim  # and it reads back
    latest = latest_day()
    for day in (claim.event_date, claim.date_end):
        assert day is None or EARLIEST_DAY <= day <= latest, day
    values = dict(zip(("killed_low", "killed_best", "killed_high"), (
        claim.killed.low, claim.killed.best, claim.killed.high), strict=True))
    values.update(zip(("wounded_low", "wounded_best", "wounded_high"), (
        claim.wounded.low, claim.wounded.best, claim.wounded.high), strict=True))
    for name in TOLLS:
        value = values[name]
        assert value is None or 0 <= value <= MAX_TOLL, (name, value)
    if claim.location is not None and claim.location.lat is not None:  # a place may be unplaced
        lat, lon = claim.location.lat, claim.location.lon
        assert lon is not None and math.isfinite(lat) and math.isfinite(lon), (lat, lon)
        assert -90 <= lat <= 90 and -180 <= lon <= 180, (lat, lon)
    texts = [claim.location_text, claim.perpetrator, claim.target, claim.notes,
             claim.external_id, *claim.sources,
             claim.location.name if claim.location else None]
    for text in texts:
        assert text is None or not CONTROL.search(text), repr(text)


def seed(corpus: Path) -> None:
    """Write the fixtures, each behind the byte that picks its reader, once."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for kind, names in SEEDS.items():
        for name in names:
            data = (FIXTURES / name).read_bytes()
            if KINDS[kind][1].endswith(".zip"):
                packed = io.BytesIO()
                with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                    archive.writestr(name, data)
                data = packed.getvalue()
            elif KINDS[kind][1].endswith(".gz"):
                data = gzip.compress(data)
            (corpus / f"seed-{kind}-{Path(name).name}").write_bytes(bytes([kind]) + data)


def main() -> None:
    corpora = [Path(arg) for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpora and not corpora[0].is_file():  # a folder to fuzz from, not one input to run
        seed(corpora[0])
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
