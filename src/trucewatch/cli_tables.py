"""Tables that read on an 80-column terminal: words are never broken mid-word.

rich shrinks every column alike when a table is too wide and then cuts words in the
middle ("viola-tion" on two lines, "syrian-gov…"). Here each column gets at least its
longest word, and the room left goes to the columns whose cells would otherwise wrap;
when even the longest words do not fit side by side, the caller drops or merges
columns (`fit` says so by returning None).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.table import Table

GAP = 2  # between two columns: a space of padding and the blank rule of SIMPLE_HEAD


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=1)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=1)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]],
                  width: int) -> list[int] | None:
    """Each column's width within ``width`` characters, every word whole; None when the
    longest words alone need more room than that."""
    columns = list(zip(headers, *rows, strict=True)) if rows else [(h,) for h in headers]
    least = [max(_longest_word(cell) for cell in column) for column in columns]
    most = [max(_longest_line(cell) for cell in column) for column in columns]
    room = width - GAP * (len(headers) - 1)
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)
    # Water-filling: a column that needs less than an even share of the room left gets
    # all it needs (its cells stay on one line); the others share the rest.
    lacking = [i for i in range(len(widths)) if most[i] > widths[i]]
    while lacking and spare > 0:
        share = spare // len(lacking)
        content = [i for i in lacking if most[i] - widths[i] <= share]
        if not content:
            # Too little for an even share to finish any column: finish the ones that
            # need least, then spread what is left.
            for index in sorted(lacking, key=lambda i: most[i] - widths[i]):
                if most[index] - widths[index] <= spare:
                    spare -= most[index] - widths[index]
                    widths[index] = most[index]
            lacking = [i for i in lacking if most[i] > widths[i]]
            for rank, index in enumerate(lacking):
                widths[index] += spare // len(lacking) + (rank < spare % len(lacking))
            break
        for index in content:
            spare -= most[index] - widths[index]
            widths[index] = most[index]
        lacking = [i for i in lacking if i not in content]
    return widths


def fit(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], width: int,
        *, caption: str | None = None, lines: bool = False) -> Table | None:
    """A table of these cells that fits ``width`` with every word whole, else None."""
    widths = column_widths(headers, rows, width)
    if widths is None:
        return None
    return _table(title, headers, rows, widths, caption=caption, lines=lines)


def squeezed(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
             *, caption: str | None = None, lines: bool = False) -> Table:
    """The last resort on a very narrow terminal: rich's own widths, with a word too long
    for its column cut with an ellipsis rather than folded."""
    return _table(title, headers, rows, [None] * len(headers), caption=caption, lines=lines)


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[int | None], *, caption: str | None, lines: bool) -> Table:
    table = Table(title=title, title_justify="left", caption=caption, box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, collapse_padding=True, padding=(0, 1),
                  show_lines=lines)
    for header, chosen in zip(headers, widths, strict=True):
        table.add_column(header, width=chosen, overflow="ellipsis")
    for row in rows:
        table.add_row(*row)
    return table


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], width: int,
          *, caption: str | None = None, lines: bool = False) -> Table:
    """`fit`, else `squeezed`."""
    return fit(title, headers, rows, width, caption=caption, lines=lines) or squeezed(
        title, headers, rows, caption=caption, lines=lines)
