"""Sentences with their character offsets in the report's text.

Each line is a paragraph (news text puts captions, bylines and paragraphs on
lines of their own); inside a line, a sentence ends at . ! or ? before a
capital, unless the word before the point is an abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "capt", "sgt", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.n", "u.k", "e.g", "i.e", "inc", "co", "corp", "sen", "rep", "gov", "prof", "al",
}


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    paragraph = 0
    for line in text.split("\n"):
        if line.strip():  # blank lines between paragraphs do not count as paragraphs
            _split_line(line, offset, paragraph, sentences)
            paragraph += 1
        offset += len(line) + 1
    return sentences


def _split_line(line: str, offset: int, paragraph: int, into: list[Sentence]) -> None:
    start = 0
    for match in _BOUNDARY.finditer(line):
        before = line[start:match.start()].rstrip("\"”’)")
        last_word = re.split(r"\s", before)[-1].rstrip(".!?").lower() if before else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        _add(line, start, match.start(), offset, paragraph, into)
        start = match.end()
    _add(line, start, len(line), offset, paragraph, into)


def _add(line: str, start: int, end: int, offset: int, paragraph: int,
         into: list[Sentence]) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = offset + start + lead
    into.append(Sentence(begin, begin + len(stripped), stripped, paragraph))
