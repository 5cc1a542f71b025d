"""End to end: an article in which one side blames the other and the other denies it,
through ``trucewatch check --scenario donbas-minsk``: a probable violation with both
claims in the reasons (articles written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trucewatch.cli import main

ARTICLES = Path(__file__).parent / "fixtures" / "contested"


def check(capsys: pytest.CaptureFixture[str], article: str) -> dict:  # type: ignore[type-arg]
    with pytest.raises(SystemExit) as done:
        main(["check", "--scenario", "donbas-minsk", "-f", "json", str(ARTICLES / article)])
    assert done.value.code in (0, None)
    (report,) = json.loads(capsys.readouterr().out)
    (incident,) = report["incidents"]
    return incident  # type: ignore[no-any-return]


@pytest.mark.parametrize(("article", "blamer", "blamed"), [
    ("donbas_avdiivka_2018.txt", "Ukraine's military", "Donetsk People's Republic forces"),
    ("donbas_horlivka_2017.txt", "Donetsk People's Republic forces", "Right Sector"),
])
def test_a_denied_attribution_is_a_probable_violation(
        capsys: pytest.CaptureFixture[str], article: str, blamer: str, blamed: str) -> None:
    incident = check(capsys, article)
    assert incident["verdict"] == "probable violation", incident["reasons"]
    text = " ".join(incident["reasons"])
    assert f"Attribution contested: {blamer} blames {blamed}" in text
    assert "denies it" in text
