"""Coverage-guided fuzzing of the article reader and the extractor (atheris, libFuzzer).

    make fuzz                      # 60 s from the seed corpus
    .venv/bin/python fuzz/fuzz_extract.py fuzz/corpus -max_total_time=600

Any exception other than InputError (a refusal with its reason) is a bug: libFuzzer
stops and writes the input that raised it as crash-<hash> in the working folder.
"""

from __future__ import annotations

import sys
from datetime import date

import atheris

with atheris.instrument_imports():
    from trucewatch.errors import InputError
    from trucewatch.extract import extract_claims
    from trucewatch.ingest.documents import parse_document
    from trucewatch.pipeline import default_gazetteer

GAZETTEER = default_gazetteer()
PUBLISHED = date(2017, 7, 4)


def test_one_input(data: bytes) -> None:
    try:
        report = parse_document(data, source="fuzz", published=PUBLISHED)
    except InputError:
        return  # refused, with a reason: the expected outcome for junk
    for claim in extract_claims(report, gazetteer=GAZETTEER):
        for evidence in claim.evidence:  # spans must point into the text they quote
            assert report.text[evidence.span.start:evidence.span.end] == evidence.span.text


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
