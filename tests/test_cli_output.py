"""How the command line prints a toll: a count, a range, or an open lower bound."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from trucewatch.cli import app
from trucewatch.cli_output import toll


@pytest.mark.parametrize(("low", "best", "high", "shown"), [
    (None, None, None, "-"),
    (2, 2, 2, "2"),
    (3, 5, 7, "5 (3-7)"),
    (41, 41, None, "41+"),  # "more than 40": at least 41, no upper bound
    (12, 12, None, "12+"),  # "dozens"
    (10, 12, None, "12 (10+)"),
    (None, 4, None, "4"),
])
def test_toll_cell(low: int | None, best: int | None, high: int | None, shown: str):
    assert toll({"low": low, "best": best, "high": high}) == shown


def test_more_than_40_killed_reads_41_plus(tmp_path: Path):
    article = tmp_path / "strike.txt"
    article.write_text("Air strikes hit Douma on Tuesday and killed more than 40 people, "
                       "the Syrian Observatory for Human Rights said.", encoding="utf-8")
    done = CliRunner().invoke(app, ["extract", str(article), "--published", "2017-07-04",
                                    "--scenario", "none"])
    assert done.exit_code == 0, done.output
    assert "41+" in done.output
