"""What the command line prints: the tables of incidents, claims and scenarios, and the
paragraphs under them, fitted to the terminal (`cli_tables`) so no word is cut."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from trucewatch import cli_publish, cli_tables
from trucewatch.model import Scenario, Verdict

out = Console()  # its width is set by cli.main()


def toll(toll: dict[str, int | None]) -> str:
    """A toll as a cell: 2; 5 (3-7) for a range; 41+ for one with no upper bound, as
    "more than 40" or "dozens" are read (at least 41, at least 12)."""
    low, best, high = toll["low"], toll["best"], toll["high"]
    if best is None and low is None:
        return "-"
    if low is not None and high is not None and low != high:
        return f"{best} ({low}-{high})"
    if high is None and low is not None:
        return f"{low}+" if best in (None, low) else f"{best} ({low}+)"
    return str(best if best is not None else low)


def place(location: dict[str, Any] | None) -> str:
    if not location:
        return "-"
    admin = f", {location['admin1']}" if location.get("admin1") else ""
    return f"{location['name']}{admin}"


def print_claims(source: str, record: dict[str, Any]) -> None:
    title = f"{source} ({record['published'] or 'date unknown'})"
    headers = ("type", "date", "place", "perpetrator", "killed", "wounded", "sources")
    caption = None if record["incidents"] else "no incident reported"

    def rows(type_name: Callable[[str], str]) -> list[list[str]]:
        return [[type_name(item["event_type"]), item["event_date"] or "?",
                 place(item["location"]),
                 item["perpetrator_name"] or item["perpetrator"] or "?",
                 toll(item["killed"]), toll(item["wounded"]), "; ".join(item["sources"])]
                for item in record["incidents"]]

    # ACLED's full type names where they fit, the short labels where they do not.
    table = cli_tables.fit(title, headers, rows(str), out.width, caption=caption) \
        or cli_tables.table(title, headers, rows(short_type), out.width, caption=caption)
    out.print(table)


def print_verdicts(title: str, records: list[dict[str, Any]]) -> None:
    """The incidents as a table that reads at any width (80 columns and up), then each
    verdict's reasons. Incidents not stored yet (`check`) are numbered in order."""
    labels = [str(r["id"]) if r.get("id") is not None else str(n)
              for n, r in enumerate(records, start=1)]
    cells = [{
        "#": label, "date": record["event_date"] or "?",
        "verdict": record.get("verdict") or "-",
        "zone": ", ".join(record.get("zones", [])) or "-",
        "what": short_type(record["event_type"]),
        "where": record["location"]["name"] if record["location"] else "?",
        "by": record["perpetrator_actor"] or record["perpetrator"] or "?",
        "killed": toll(record["killed"]), "wounded": toll(record["wounded"]),
        "confidence": record["confidence"],
    } for label, record in zip(labels, records, strict=True)]
    caption = None if records else "no incident reported"
    wide = ("#", "date", "verdict", "zone", "what", "where", "by", "killed", "wounded",
            "confidence")
    table = cli_tables.fit(title, wide, [[c[h] for h in wide] for c in cells], out.width,
                           caption=caption)
    below: dict[str, str] = {}
    if table is None:
        # A narrow terminal: the toll in one column; who did it and the confidence go
        # beside each verdict below the table, where prose wraps.
        narrow = ("#", "date", "verdict", "zone", "what", "where", "killed / wounded")
        rows = [[*(c[h] for h in narrow[:-1]), f"{c['killed']} / {c['wounded']}"]
                for c in cells]
        table = cli_tables.table(title, narrow, rows, out.width, caption=caption)
        below = {c["#"]: f"by {c['by']}, confidence {c['confidence']}" for c in cells}
    out.print(table)
    for label, record in zip(labels, records, strict=True):
        if record.get("reasons") or label in below:
            more = f" ({below[label]})" if label in below else ""
            out.print(f"[bold]#{label} {record.get('verdict') or '-'}[/bold]{more}",
                      highlight=False)
            for reason in record.get("reasons") or []:
                print_indented(reason, bullet="-")


def print_indented(text: str, *, bullet: str = "") -> None:
    """A paragraph wrapped on words under its own left margin (a hanging indent)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=max(3, len(bullet)), justify="right")
    grid.add_column()
    grid.add_row(bullet, Text(text))
    out.print(grid)


def short_type(event_type: str) -> str:
    """ACLED's long sub-event names, shortened to fit a column."""
    return cli_publish.SHORT_TYPES.get(event_type, event_type)


def print_other_verdicts(verdicts: list[Verdict | None]) -> None:
    if not verdicts:
        return
    counts: dict[str, int] = {}
    for verdict in verdicts:
        kind = verdict.kind.value if verdict else "not assessed"
        counts[kind] = counts.get(kind, 0) + 1
    listed = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    out.print(f"Other incidents in the ledger: {listed}; 'trucewatch violations --all' lists them.")


def print_scenario(scenario: Scenario) -> None:
    out.print(f"[bold]{scenario.name}[/bold] ({scenario.id})")
    if scenario.description:
        out.print(scenario.description.strip())
    out.print(cli_tables.table(
        "Zones and boundary versions",
        ("zone", "status", "valid from", "valid to", "approximate"),
        [[zone.name, version.status.value, str(version.valid_from),
          str(version.valid_to or "open"), "yes" if version.approximate else "no"]
         for zone in scenario.zones.values() for version in zone.versions], out.width))
    from trucewatch.service import standalone  # format 2's elements, as lines

    for zone_id, source in standalone.zone_sources(scenario).items():
        out.print(f"  {zone_id}: {source}", highlight=False)
    rows = []
    for agreement in scenario.agreements:
        deadlines = "; ".join(
            f"{d.name}: due {d.due}, " + (f"met {d.met_on}" if d.met_on else "missed")
            for d in agreement.deadlines
        )
        rows.append([agreement.id, agreement.name, window(agreement.start, agreement.end),
                     ", ".join(agreement.zones), ", ".join(agreement.excluded), deadlines])
    for declaration in scenario.declarations:
        rows.append([declaration.id, f"{declaration.name} (unilateral, {declaration.actor})",
                     window(declaration.start, declaration.end),
                     ", ".join(declaration.zones), ", ".join(declaration.excluded), ""])
    headers = ("id", "name", "in force", "zones", "excluded", "deadlines")
    table = cli_tables.fit("Agreements and declarations", headers, rows, out.width,
                           lines=True)
    if table is not None:
        out.print(table)
        _print_v2(scenario)
        return
    # Too narrow for six columns of ids: one paragraph per commitment, wrapped on words.
    out.print("[bold]Agreements and declarations[/bold]")
    for row in rows:
        out.print(f"[bold]{row[0]}[/bold]: {row[1]}", highlight=False)
        details = [f"in force {row[2]}", f"zones: {row[3] or '-'}",
                   f"excluded: {row[4] or '-'}"] + ([f"deadlines: {row[5]}"] if row[5] else [])
        print_indented("; ".join(details))
    _print_v2(scenario)


def _print_v2(scenario: Scenario) -> None:
    """Periods, endings, roles, weapon zones and who is bound where (format 2)."""
    from trucewatch.service import standalone

    for commitment in (*scenario.agreements, *scenario.declarations):
        lines = standalone.commitment_lines(commitment, scenario)
        if lines:
            out.print(f"[bold]{commitment.id}[/bold]", highlight=False)
            for line in lines:
                print_indented(line)
    out.print("[bold]Actors[/bold]")
    for line in standalone.actor_lines(scenario):
        print_indented(line)


def window(start: Any, end: Any) -> str:
    return f"{start:%Y-%m-%d %H:%M} → " + (f"{end:%Y-%m-%d %H:%M}" if end else "open")
