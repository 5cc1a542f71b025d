"""Near-duplicate reports: copies of one wire story with small edits.

An agency story (AFP, Reuters, AP) is re-published by many outlets, each with its own
headline, byline and boilerplate, sometimes a paragraph short. Their texts differ, so
the content hash tells them apart; read one by one they become several reports, and
when undated, several incidents. This module decides, from the texts alone, whether a
new report is a copy of a stored one. It is pure: the store keeps the LSH band keys and
asks the question (``trucewatch.store.copies``).

How:
- A text is normalised (Unicode NFKC, case folded, punctuation dropped) and cut into
  overlapping 5-word shingles; a one-word edit changes at most five of them.
- A MinHash signature (datasketch, 128 permutations, fixed seed and scheme, so the same
  text gives the same signature in every process, today and tomorrow) is
  cut into LSH bands as datasketch's MinHashLSH cuts it for a Jaccard threshold of
  CANDIDATE_THRESHOLD. Each band is hashed to a 64-bit key the store indexes, so the
  index lives in the database: it survives restarts, serves every process, and a look-up
  is one indexed query, whatever the size of the ledger (no all-pairs comparison).
- A report sharing a band key is only a candidate. The newcomer is a copy of it when,
  on the exact shingle sets, (1) their Jaccard similarity is at least JACCARD_FLOOR
  (0.7), (2) no passage of the newcomer longer than MAX_NEW_WORDS (25 words) is missing
  from the stored text, and (3) the newcomer states no figure the stored text does not
  (see ``figures``). Syndicated copies drop and reword; they do not add a paragraph or a
  toll. A fuller or updated version (a new toll, a new date, the next day's bulletin on
  the same template with its own count of violations) is a report of its own, whose
  claims are read and merged as usual.

Why these numbers, on 5-word shingles: on the ~330-word story of
tests/test_near_duplicates.py a copy with a new headline and byline and no boilerplate
scores Jaccard 0.83 (its longest new passage, the headline and byline: 16 words), one
reworded in five places 0.81 (3), one with a paragraph in eight dropped, a new headline
and a one-word credit 0.73 (5): Jaccard 0.8 alone would miss the last, common with
agency copy. Another outlet's own reporting
of the same strike (same place, day, toll and culprit, its own words) scores 0.004, so
the margin on that side is wide. A new headline and byline run to about 20 words, a
reworded phrase to a few; a paragraph of its own (a second incident, "Separately, ...")
is longer than 25 words and keeps the report whole, whatever its share of the text.
Candidates are gathered at 0.5, below the floor, so copies are not lost to the LSH's
misses: with datasketch's choice for 0.5 (25 bands of 5 rows) a pair at 0.7 shares a
band with probability 0.99, at 0.8 0.99999, while a pair at 0.3 is a candidate (then
rejected by the exact check) 6% of the time.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # datasketch (and numpy) load on first use, not on import
    from datasketch import MinHash

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
JACCARD_FLOOR = 0.7  # exact Jaccard of the two shingle sets
MAX_NEW_WORDS = 25  # the longest passage a copy may have that the stored text lacks
CANDIDATE_THRESHOLD = 0.5  # where the LSH bands are tuned: below COPY_THRESHOLD on purpose
# A text of fewer shingles (a headline, a two-line bulletin) is never called a copy: short
# items on one template ("Shelling in X, 2 killed") are too alike to tell apart by words.
MIN_SHINGLES = 25
# Changing any parameter above changes the band keys; the label goes into each key so keys
# of different parameters never match (a ledger would then need its bands rebuilt).
KEY_LABEL = f"tw-nd1-{SHINGLE_WORDS}-{NUM_PERM}-{SEED}-{SCHEME}-{CANDIDATE_THRESHOLD}"

_WORD = re.compile(r"\w+")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")  # 14:05 GMT in a byline is not a figure
_DIGITS = re.compile(r"\d+")
# Figures written as words: a copy saying "three" where the first said "two" is an update.
NUMBER_WORDS = frozenset([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million", "dozen",
    "dozens"])


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the comparison needs of one text."""

    shingles: frozenset[str]
    sequence: tuple[str, ...]  # the shingles in the order of the text
    figures: frozenset[str]
    bands: tuple[int, ...]  # LSH band keys, signed 64-bit (they fit a BIGINT column)

    @property
    def comparable(self) -> bool:
        """Long enough to be compared at all (see MIN_SHINGLES)."""
        return len(self.shingles) >= MIN_SHINGLES


def words(text: str) -> list[str]:
    """The text's words, normalised: NFKC, case folded, without punctuation."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """The set of overlapping runs of ``size`` words (a shorter text: its words as one)."""
    return frozenset(shingle_sequence(text, size))


def shingle_sequence(text: str, size: int = SHINGLE_WORDS) -> tuple[str, ...]:
    """The overlapping runs of ``size`` words, in the order of the text."""
    found = words(text)
    if len(found) < size:
        return (" ".join(found),) if found else ()
    return tuple(" ".join(found[i:i + size]) for i in range(len(found) - size + 1))


def figures(text: str) -> frozenset[str]:
    """The numbers a text states, in digits or in words; times of day are left out."""
    folded = unicodedata.normalize("NFKC", _CLOCK.sub(" ", text)).casefold()
    digits = {str(int(d)) for d in _DIGITS.findall(folded)}  # 05 and 5 are one figure
    return frozenset(digits | {w for w in _WORD.findall(folded) if w in NUMBER_WORDS})


def fingerprint(text: str) -> Fingerprint:
    """Shingles, figures and LSH band keys of a report's text."""
    sequence = shingle_sequence(text)
    found = frozenset(sequence)
    bands: tuple[int, ...] = ()
    if len(found) >= MIN_SHINGLES:
        bands = band_keys(signature(found))
    return Fingerprint(found, sequence, figures(text), bands)


def signature(found: frozenset[str]) -> MinHash:
    """The MinHash of a shingle set."""
    from datasketch import MinHash

    template = _template()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                      permutations=template.permutations)
    minhash.update_batch([s.encode("utf-8") for s in sorted(found)])
    return minhash


def band_keys(minhash: MinHash) -> tuple[int, ...]:
    """One key per LSH band: a hash of the band's index and its slice of the signature."""
    keys = []
    for index, (start, end) in enumerate(_hashranges()):
        digest = hashlib.blake2b(minhash.hashvalues[start:end].tobytes(), digest_size=8,
                                 person=f"band{index}".encode(),
                                 key=KEY_LABEL.encode()).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return tuple(keys)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def longest_new_passage(new: Fingerprint, stored: Fingerprint) -> int:
    """About how many words long is the longest passage of ``new`` that ``stored`` lacks:
    a run of k new words inside shared text makes k + 4 shingles of 5 words that are new
    (at the head or tail of the text, k: a headline is counted a little short)."""
    run = longest = 0
    for shingle in new.sequence:
        run = run + 1 if shingle not in stored.shingles else 0
        longest = max(longest, run)
    return max(0, longest - (SHINGLE_WORDS - 1))


def is_copy(new: Fingerprint, first: Fingerprint) -> bool:
    """Whether ``new`` is a near-copy of ``first``: alike in words, saying little the
    first does not, and adding no figure."""
    if not (new.comparable and first.comparable) or not new.figures <= first.figures:
        return False
    return (jaccard(new.shingles, first.shingles) >= JACCARD_FLOOR
            and longest_new_passage(new, first) <= MAX_NEW_WORDS)


@cache
def _template() -> MinHash:
    """A MinHash whose permutations the others reuse (made once, on first use)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


@cache
def _hashranges() -> tuple[tuple[int, int], ...]:
    """The bands datasketch's MinHashLSH chooses for CANDIDATE_THRESHOLD (its default
    weighting of false positives and negatives)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    return tuple((int(start), int(end)) for start, end in lsh.hashranges)
