"""Near-copies of one wire story: three outlets' copies of an agency story (new headline,
other byline, boilerplate trimmed, a paragraph dropped, a few words changed) are one story
with its copies; another outlet's own reporting of the same strike is a report of its own.
The stories are written for these tests; the place and the kind of event are real."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from trucewatch.ingest import near_duplicates as nd
from trucewatch.model import Report
from trucewatch.service.ledger import Ledger
from trucewatch.store import copies
from trucewatch.store.database import alembic_config
from trucewatch.store.tables import ClaimRow, IncidentRow, ReportBandRow, ReportRow

HEAD = "Air strikes kill three civilians in Syria's Eastern Ghouta\n\n"
BYLINE = "By Staff Writer, Agence France-Presse\n\n"
P = [
    "Air strikes on the rebel-held town of Arbin in Eastern Ghouta killed three civilians, "
    "among them two children, on Tuesday, a monitoring group said, in one of the deadliest "
    "raids on the enclave since a truce for the area took effect.",
    "The Syrian Observatory for Human Rights said at least 14 other people were wounded, "
    "several of them seriously, when warplanes struck a residential street and a market "
    "near the town's main mosque in the early afternoon.",
    "The Britain-based monitor, which relies on a network of sources on the ground, said it "
    "believed the aircraft belonged to the Syrian government, citing the type of planes and "
    "their flight paths.",
    "A doctor at a field clinic in Arbin said medics had struggled to treat the wounded "
    "because fuel for the generators had run low, and that two of the injured had been "
    "moved to a hospital in nearby Douma.",
    "Eastern Ghouta, on the edge of Damascus, has been besieged by government forces for "
    "more than four years. Around 400,000 people are thought to live there, short of food "
    "and medicine and under frequent bombardment.",
    "The enclave is one of four areas where Russia, Iran and Turkey agreed to reduce "
    "fighting under a deal reached in the Kazakh capital in May. Moscow, the main ally of "
    "President Bashar al-Assad, later announced separate terms for Ghouta.",
    "Rebel groups in the area accused the government of breaking the truce several times in "
    "recent days. State media made no mention of the raids on Tuesday, and there was no "
    "immediate comment from the army.",
    "Syria's war has killed more than 330,000 people since it began with the repression of "
    "anti-government protests in 2011.",
]
BOILERPLATE = ("\n\nCopyright Agence France-Presse. All rights reserved. This material may not "
               "be published, broadcast, rewritten or redistributed.\n")
ORIGINAL = HEAD + BYLINE + "\n\n".join(P) + BOILERPLATE

# An outlet's copy: its own headline and byline, the agency's boilerplate gone.
COPY_NEW_HEADLINE = ("SYRIA: Children among dead as jets hit Ghouta town\n\n"
                     "By our Middle East desk | The Levant Daily | 14:05 GMT\n\n"
                     + "\n\n".join(P) + "\n\nShare this story on social media.\n")
# Another outlet drops the background paragraph and keeps a short credit line.
COPY_PARAGRAPH_DROPPED = ("Three killed in air raid on Arbin, monitor says\n\n"
                          + "\n\n".join(P[:4] + P[5:]) + "\n\n(c) AFP\n")
# A third rewords here and there, as sub-editors do.
COPY_REWORDED = (HEAD.replace("kill", "leave") + BYLINE + "\n\n".join(P)
                 .replace("a monitoring group said", "a war monitor reported")
                 .replace("when warplanes struck", "when jets struck")
                 .replace("in the early afternoon", "early in the afternoon")
                 .replace("had run low", "was running out")
                 .replace("no immediate comment", "no comment") + BOILERPLATE)

# Another outlet's own reporting of the same strike: same place, day, toll and culprit,
# its own words. Two reports, which the merge may later join as one incident.
OWN_REPORTING = """Government jets pound Arbin; children among three dead

BEIRUT - Three people, two of them children, died when government aircraft bombed Arbin in
the besieged Eastern Ghouta region on Tuesday, according to rescue workers and a war monitor.

Volunteers with the civil defence pulled survivors from two collapsed buildings close to the
market, and the Syrian Observatory for Human Rights put the number of injured at 14.

Residents reached by telephone described at least two passes by fixed-wing aircraft shortly
after midday. Only the Syrian air force and its Russian ally fly over the area.

The raid tested a de-escalation arrangement brokered by Moscow for the area, under which the
army and the rebel factions inside Ghouta were meant to halt attacks on each other.

A rebel spokesman called the strike a flagrant breach. Damascus did not respond to a request
for comment, and the official news agency reported shelling of the capital from Ghouta.
"""

# The same wire story after an update: the toll has risen. New figures are new information,
# so this is a report of its own, whose claims are read and merged.
UPDATED_TOLL = ORIGINAL.replace("killed three civilians", "killed five civilians").replace(
    "at least 14 other", "at least 20 other").replace("kill three", "kill five")

BULLETIN = ("Daily ceasefire report of the reconciliation centre\n\nOver the past 24 hours "
            "the centre recorded {n} violations of the ceasefire, in the provinces of Aleppo, "
            "Hama, Idlib and Latakia. Most involved shelling by armed groups that have not "
            "joined the cessation of hostilities. The centre continues its work to bring "
            "further towns into the process of reconciliation and to deliver humanitarian aid "
            "to the population, its statement said.")


# --- the decision, on texts alone ---------------------------------------------------------


@pytest.mark.parametrize("copy", [COPY_NEW_HEADLINE, COPY_PARAGRAPH_DROPPED, COPY_REWORDED],
                         ids=["new-headline", "paragraph-dropped", "reworded"])
def test_each_rewrite_is_a_copy_of_the_wire_story(copy: str):
    first, new = nd.fingerprint(ORIGINAL), nd.fingerprint(copy)
    assert copy != ORIGINAL
    assert nd.JACCARD_FLOOR <= nd.jaccard(new.shingles, first.shingles) < 1.0
    assert nd.longest_new_passage(new, first) <= nd.MAX_NEW_WORDS
    assert nd.is_copy(new, first)
    assert set(new.bands) & set(first.bands), "the LSH must make them candidates"


def test_another_outlets_own_reporting_of_the_strike_is_not_a_copy():
    first, other = nd.fingerprint(ORIGINAL), nd.fingerprint(OWN_REPORTING)
    assert nd.jaccard(other.shingles, first.shingles) < 0.1
    assert not nd.is_copy(other, first)
    assert not set(other.bands) & set(first.bands)


def test_a_paragraph_of_its_own_makes_a_report_of_its_own():
    """A copy with a passage of its own (here a second incident) is read, not filed,
    though it is as alike in words as the copies above."""
    extra = ("Separately, activists said rebels fired rockets at a government checkpoint on "
             "the road out of Harasta, and that an army post on the outskirts of the town "
             "answered with heavy machine guns for much of the evening, damaging houses.")
    longer = nd.fingerprint(ORIGINAL.replace(P[6], P[6] + "\n\n" + extra))
    assert nd.jaccard(longer.shingles, nd.fingerprint(ORIGINAL).shingles) >= 0.8
    assert nd.longest_new_passage(longer, nd.fingerprint(ORIGINAL)) == len(extra.split())
    assert not nd.is_copy(longer, nd.fingerprint(ORIGINAL))


def test_a_new_figure_makes_a_report_of_its_own():
    updated = nd.fingerprint(UPDATED_TOLL)
    assert nd.jaccard(updated.shingles, nd.fingerprint(ORIGINAL).shingles) >= 0.9
    assert not nd.is_copy(updated, nd.fingerprint(ORIGINAL))
    monday, tuesday = nd.fingerprint(BULLETIN.format(n=23)), nd.fingerprint(BULLETIN.format(n=31))
    assert nd.jaccard(monday.shingles, tuesday.shingles) >= 0.8
    assert not nd.is_copy(tuesday, monday)
    assert nd.is_copy(nd.fingerprint(BULLETIN.format(n=23) + " "), monday)


def test_a_copy_that_only_drops_a_figure_is_still_a_copy():
    assert nd.fingerprint(ORIGINAL).figures - nd.fingerprint(COPY_PARAGRAPH_DROPPED).figures == {
        "400"}
    assert nd.fingerprint(COPY_PARAGRAPH_DROPPED).figures <= nd.fingerprint(ORIGINAL).figures


def test_figures_in_digits_and_words_but_not_the_time_of_day():
    assert nd.figures("At 14:05, 3 killed and twelve hurt; 05 left") == {"3", "5", "twelve"}


def test_normalised_words_ignore_case_punctuation_and_unicode_forms():
    assert nd.words("ＡＩＲ strike—on “Arbin”, 2017!") == ["air", "strike", "on", "arbin", "2017"]
    assert nd.shingles("a b c d e f") == {"a b c d e", "b c d e f"}
    assert nd.shingles("too short") == {"too short"}


def test_short_texts_are_never_copies():
    short = nd.fingerprint("Shelling in Arbin, two killed, the monitor said.")
    assert not short.comparable and short.bands == ()
    assert not nd.is_copy(short, short)


def test_signatures_are_the_same_in_another_process():
    """Band keys are stored and compared across processes: they must not depend on
    anything but the text (no per-process hash seed, no random permutations)."""
    code = ("import sys; from trucewatch.ingest.near_duplicates import fingerprint; "
            "print(fingerprint(sys.stdin.read()).bands)")
    out = subprocess.run([sys.executable, "-c", code], input=ORIGINAL, capture_output=True,
                         text=True, check=True, env={"PYTHONHASHSEED": "12345"})
    assert out.stdout.strip() == str(nd.fingerprint(ORIGINAL).bands)
    assert len(nd.fingerprint(ORIGINAL).bands) == 25


# --- the ledger: one story with its copies ------------------------------------------------


@pytest.fixture
def ledger(store_url: str) -> Ledger:
    made = Ledger(store_url)
    made.init()
    made.load_scenario("astana-2017")
    return made


def _counts(ledger: Ledger) -> tuple[int, int, int]:
    with ledger.db.reading() as session:
        return tuple(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
                     for table in (ReportRow, ClaimRow, IncidentRow))  # type: ignore[return-value]


def test_undated_copies_are_one_story_and_one_incident(ledger: Ledger):
    """The issue's case: undated copies of a story used to be separate reports and, their
    claims having no date to merge on, separate incidents."""
    first = ledger.ingest(Report(text=ORIGINAL, outlet="AFP"))
    assert first.created and first.copy_of is None
    [(incident, _)] = first.incidents
    assert incident.event_date is None  # "on Tuesday" with no dateline: undated
    assert _counts(ledger) == (1, 1, 1)

    for n, (text, outlet) in enumerate([(COPY_NEW_HEADLINE, "The Levant Daily"),
                                        (COPY_PARAGRAPH_DROPPED, "Gulf Wire"),
                                        (COPY_REWORDED, "Daily Courier")], start=2):
        result = ledger.ingest(Report(text=text, outlet=outlet))
        assert (result.created, result.copy_of, result.incidents) == (True, first.report_id, [])
        assert _counts(ledger) == (n, 1, 1), "a copy adds its report, no claim, no incident"
    assert len(copies.copies_of(ledger.db, first.report_id)) == 3

    again = ledger.ingest(Report(text=COPY_REWORDED, outlet="Daily Courier"))
    assert not again.created and _counts(ledger) == (4, 1, 1)  # re-ingesting: nothing
    exact = ledger.ingest(Report(text=ORIGINAL.replace("\n\n", "\n"), outlet="AFP"))
    assert not exact.created and exact.report_id == first.report_id  # the content hash


def test_own_reporting_of_the_same_strike_is_a_second_report(ledger: Ledger):
    first = ledger.ingest(Report(text=ORIGINAL, outlet="AFP", published=date(2017, 8, 1)))
    other = ledger.ingest(Report(text=OWN_REPORTING, outlet="Reuters",
                                 published=date(2017, 8, 1)))
    assert other.created and other.copy_of is None and other.incidents
    assert copies.copies_of(ledger.db, first.report_id) == []
    # Two reports of one strike, each with its own claim of it (whether the merge joins
    # them is the merge's business: here the second one's date is not read).
    with ledger.db.reading() as session:
        places = sorted(session.execute(
            sa.select(ClaimRow.report_id, ClaimRow.location_name)
            .where(ClaimRow.location_name == "Arbin")).all())
    assert places == [(first.report_id, "Arbin"), (other.report_id, "Arbin")]


def test_an_updated_toll_is_read_not_filed_as_a_copy(ledger: Ledger):
    ledger.ingest(Report(text=ORIGINAL, outlet="AFP"))
    updated = ledger.ingest(Report(text=UPDATED_TOLL, outlet="AFP"))
    assert updated.copy_of is None and updated.incidents
    assert updated.incidents[0][0].killed.best == 5


def test_a_copy_ingested_later_by_another_process_is_recognised(store_url: str):
    """The index is in the database: a new Ledger (as a new process has) finds the story."""
    first_run = Ledger(store_url)
    first_run.init()
    first_run.load_scenario("astana-2017")
    original = first_run.ingest(Report(text=ORIGINAL)).report_id
    first_run.db.engine.dispose()

    next_day = Ledger(store_url)
    assert next_day.ingest(Report(text=COPY_PARAGRAPH_DROPPED)).copy_of == original


def test_a_copy_of_a_copy_belongs_to_the_first_report(ledger: Ledger):
    first = ledger.ingest(Report(text=ORIGINAL)).report_id
    ledger.ingest(Report(text=COPY_PARAGRAPH_DROPPED))
    # Close to the trimmed copy, and through it a copy of the first report.
    trimmed_again = COPY_PARAGRAPH_DROPPED.replace("(c) AFP", "Source: AFP")
    assert ledger.ingest(Report(text=trimmed_again)).copy_of == first


def test_upgrading_a_ledger_indexes_the_articles_already_stored(tmp_path: Path):
    """A ledger made before migration 0008: its articles get band keys in the upgrade,
    so a copy of one ingested afterwards is recognised."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    command.upgrade(alembic_config(engine), "0007_lighter_claims")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO reports (id, content_hash, kind, text) VALUES "
            "(7, 'a', 'article', :story), (8, 'b', 'dataset', :story)"), {"story": ORIGINAL})
    engine.dispose()

    ledger = Ledger(url)
    ledger.init()
    with ledger.db.reading() as session:
        indexed = set(session.scalars(sa.select(ReportBandRow.report_id)))
    assert indexed == {7}  # a dataset file is not a story
    ledger.load_scenario("astana-2017")
    assert ledger.ingest(Report(text=COPY_NEW_HEADLINE)).copy_of == 7


def test_ingest_says_which_report_a_copy_belongs_to(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]):
    from trucewatch.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as done:
            main(list(args))
        captured = capsys.readouterr()
        return int(done.value.code or 0), captured.out, captured.err

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    (tmp_path / "afp.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "levant.txt").write_text(COPY_NEW_HEADLINE, encoding="utf-8")
    assert run("--db", url, "init")[0] == 0
    assert run("--db", url, "scenario", "load", "astana-2017")[0] == 0
    code, out, err = run("--db", url, "ingest", str(tmp_path / "afp.txt"),
                         str(tmp_path / "levant.txt"))
    assert code == 0
    assert f"{tmp_path / 'levant.txt'}: a near-copy of report 1; stored as its copy" in err
    assert "2 report(s) ingested, 0 unchanged, 0 failed; 1 incident(s)" in out


def test_the_api_shows_which_report_a_copy_belongs_to(ledger: Ledger):
    from trucewatch.api.schemas import ReportDetailPublic
    from trucewatch.edge.present import report_public
    from trucewatch.store import queries

    first = ledger.ingest(Report(text=ORIGINAL)).report_id
    copy = ledger.ingest(Report(text=COPY_REWORDED)).report_id
    shown = ReportDetailPublic.model_validate(report_public(queries.get_report(ledger.db, copy)))
    assert (shown.copy_of, shown.incident_ids) == (first, [])
    listed, _ = queries.list_reports(ledger.db)
    assert {r.id: r.copy_of for r in listed} == {first: None, copy: first}


def test_a_look_up_reads_a_bounded_number_of_stored_texts(store_url: str,
                                                           monkeypatch: pytest.MonkeyPatch):
    """No all-pairs comparison: a new text reads no stored text when none shares a band,
    and a copy of a story with many copies reads at most MAX_CANDIDATES of them."""
    import random

    from trucewatch.store import repository
    from trucewatch.store.database import Database

    db = Database(store_url)
    db.init()
    rng = random.Random(4)
    vocabulary = nd.words(ORIGINAL + OWN_REPORTING)
    for n in range(40):  # unrelated articles of the same vocabulary
        text = " ".join(rng.choices(vocabulary, k=300))
        repository.ingest_report(db, Report(text=text, source=f"r{n}"), [], None)
    first = repository.ingest_report(db, Report(text=ORIGINAL), [], None).report_id
    for n in range(12):  # a story many outlets ran, each with its own line at the foot
        copy = repository.ingest_report(db, Report(text=f"{ORIGINAL}\nOutlet {chr(65 + n)}"),
                                        [], None)
        assert copy.copy_of == first

    read: list[str] = []
    real = copies.fingerprint

    def counted(text: str) -> nd.Fingerprint:
        read.append(text)
        return real(text)

    monkeypatch.setattr(copies, "fingerprint", counted)
    with db.reading() as session:
        assert copies.find_original(session, nd.fingerprint(OWN_REPORTING)) is None
        assert read == []
        assert copies.find_original(session, nd.fingerprint(COPY_REWORDED)) == first
        assert 1 <= len(read) <= copies.MAX_CANDIDATES
        # 13 stored texts share its bands and none passes (a new toll): 8 are read.
        read.clear()
        assert copies.find_original(session, nd.fingerprint(UPDATED_TOLL)) is None
        assert len(read) == copies.MAX_CANDIDATES
