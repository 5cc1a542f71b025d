"""Casualty counts as news states them, into low/best/high.

"at least 12" -> 12 (no upper bound), "more than 40" -> 41, "dozens" -> 12 (ACLED),
"between 8 and 11" -> 8..11, "a woman and a child" -> 2, "a family of five" -> 5.
"killed and wounded 45" gives neither count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from trucewatch.extract.vocabulary import Vocabulary, vocabulary
from trucewatch.model import MAX_TOLL, Casualties


@dataclass(frozen=True, slots=True)
class Figure:
    """One stated toll: what it counts ('killed' or 'wounded'), its range and where."""

    kind: str
    low: int
    best: int
    high: int | None
    start: int
    end: int
    # Of ``best``, how many the report says were civilians, and how many fighters.
    civilians: int | None = None
    combatants: int | None = None
    # "more than 20": ``low`` is one above what was said, a bound rather than a count.
    exceeds: bool = False
    # "..., five in Harasta": a count told on from the figure before, without its verb;
    # where it was counted is said right after it.
    told_on: bool = False
    # "Three soldiers ... were also killed", "a further four": more, beyond those counted
    # before, not another count of the same dead.
    adds: bool = False


# After a count, where it was counted: " in Douma", " in the village of al-Nayrab".
_WHERE_COUNTED = (r"\s+(?:in|at|inside|near)\s+(?:the\s+)?"
                  r"(?:(?:town|city|village|district|camp)\s+of\s+)?"
                  r"(?:(?-i:[A-Z])|(?:al|el|an|ad|as|ash|ar)-)")
_MODIFIERS = {
    "at least": "min", "no fewer than": "min", "a minimum of": "min",
    "more than": "over", "over": "over", "upwards of": "over",
    "nearly": "about", "almost": "about", "about": "about", "around": "about",
    "roughly": "about", "approximately": "about", "some": "about", "an estimated": "about",
    "up to": "max", "as many as": "max", "at most": "max",
}
_VERB_KILLED = (r"killed|dead|died|slain|perished|lost\s+their\s+lives|shot\s+dead|gunned\s+down"
                r"|beheaded|executed|martyred|embraced\s+martyrdom")
_VERB_WOUNDED = (r"wounded|injured|hurt|became\s+injured"
                 r"|(?:sustained|suffered|received)\s+(?:\w+\s+)?(?:injuries|wounds)")
# Nouns count too: "resulted in the killing of 7 civilians", "the deaths of two nurses".
_OBJECT_KILLED = (r"(?:killing|deaths?|martyrdom)\s+of|(?:killed|shot|abducted|kidnapped)\s+and"
                  r"\s+(?:beheaded|killed|executed|burned)|shot\s+dead|gunned\s+down|beheaded"
                  r"|executed|killing|killed|kill|kills|martyring"
                  r"|(?:claimed|cost)\s+the\s+lives\s+of")
_OBJECT_WOUNDED = r"(?:wounding|injuring)\s+of|wounding|wounded|injuring|injured|wounds|injures"
_OBJECT_BEFORE = re.compile(rf"\b(?:{_OBJECT_KILLED}|{_OBJECT_WOUNDED})\s+$", re.I)
_PLURALS = {"people", "men", "women", "children", "police", "troops", "staff", "personnel"}
_BOTH = re.compile(
    r"(killed|dead)\s+(and|or)\s+(wounded|injured)|(wounded|injured)\s+(and|or)\s+(killed|dead)"
    r"|casualties|dead\s+and\s+injured",
    re.I,
)


# "born in 1960", "since 2015": a year, never a toll; hidden before tolls are read.
_YEAR = re.compile(r"\b((?:in|since|of|born|until|by|from|during)\s+)((?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True)
class _Patterns:
    subject: re.Pattern[str]
    obj: re.Pattern[str]
    left: re.Pattern[str]
    toll: re.Pattern[str]
    group: re.Pattern[str]
    obj_group: re.Pattern[str]
    lone: re.Pattern[str]
    family: re.Pattern[str]
    kin: re.Pattern[str]
    number: re.Pattern[str]
    named: re.Pattern[str]
    more: re.Pattern[str]
    elided: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    vocab = vocabulary()
    units = sorted((w for w in vocab.number_words if w not in ("a", "an")), key=len, reverse=True)
    word = "|".join(units)
    vague = "|".join(sorted((re.escape(v) for v in vocab.vague_numbers), key=len, reverse=True))
    # "wounded another", "another was hurt": one more, unless a count follows ("another 5").
    another = rf"another(?![\s-]+(?:\d|(?:{word}|{vague})\b))"
    number = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{word})(?:[\s-](?:{word}))?|{vague}"
              rf"|{another})")
    modifier = "|".join(sorted(_MODIFIERS, key=len, reverse=True))
    qty = (rf"(?P<mod>{modifier})?\s*(?:between\s+(?P<a>{number})\s+and\s+(?P<b>{number})"
           rf"|(?P<n>{number})(?:\s*(?:-|–|to)\s*(?P<m>{number}))?)")
    persons = "|".join(sorted(vocab.person_nouns, key=len, reverse=True))
    # Up to three words before the noun, but not "and <a number>": "5 soldiers and 12
    # others were wounded" is two counts.
    other = rf"(?!and\s+(?:\d|(?:{word})\b))"
    # "eight soldiers of the police were killed": whose, after the noun.
    noun = (rf"(?P<noun>(?:\s+{other}[\w'’-]+){{0,3}}?\s+(?:{persons})\b"
            # "three Internally Displaced Persons (IDPs)", "soldiers of the police"
            rf"(?:\s*\([A-Za-z]{{2,8}}\))?(?:\s+of\s+the\s+[\w'’-]+)?"
            rf"|\s+others\b|\s+more\b)?")  # "dozens more hurt"
    # An aside between the count and its verb: ", including two children," or ", three of
    # them children,".
    including = (r"(?:\s*[,–—-]+\s*(?:including\s[^,–—.;]{1,60}|[\w-]+\s+of\s+them\s+"
                 r"[^,–—.;]{1,40})[,–—-]+"
                 # "three children who were playing nearby were killed"
                 r"|\s+(?:who|that)\s+(?:were|was)\s+\w+ing\b(?:\s+(?!were\b|was\b)[\w'’-]+){0,4}"
                 # "ten children gathered (playing) in the street were wounded"
                 r"|\s+(?!(?:killed|wounded|injured|hurt|shot|killing|wounding|injuring)\b)"
                 r"[a-z]+(?:ed|ing)\s+(?:in|at|on|near|inside"
                 r"|outside|around|with)\s+(?:the\s+|a\s+)?[\w'’-]+"
                 # "nine men from Punjab were shot dead"
                 r"|\s+from\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,2})?")
    aux = (r"(?:\s+(?:were|was|have|has|had|are|is|been|being|reportedly|also|all|later|\w+ly"
           r"|of(?=\s+(?:wounded|injured|dead)\b)))*")  # "dozens of wounded"
    singular = "|".join(sorted(
        (n for n in vocab.person_nouns if not n.endswith("s") and n not in _PLURALS),
        key=len, reverse=True))
    # "a woman", "a young boy"; but "a dozen others" is a count, not one person
    single = (rf"(?:(?:a|an|one|{word}|\d+)\s+"
              rf"(?:(?!(?:dozen|few|handful|number|couple|of|them|whom|those|these|and|further"
              rf")\b|(?:{word}|\d+)\s)"
              rf"[\w'’-]+\s+){{0,2}}?(?:{persons})"
              # "her two daughters"
              rf"|(?:his|her|their)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{persons})"
              rf"|(?:one|two|three|\d)\s+of\s+(?:his|her|their|its|the)\s+(?:[\w'’-]+\s+)?"
              rf"(?:{persons}))")
    # after a verb of killing, "the vigilante leader" is one person too
    single_obj = (rf"(?:{single}|the\s+(?:[\w'’-]+\s+){{0,2}}?(?:{singular})\b"
                  rf"(?!['’]s))")
    return _Patterns(
        subject=re.compile(rf"(?<![\w,.]){qty}{noun}{including}{aux}\s+"
                           rf"(?P<verb>{_VERB_KILLED}|{_VERB_WOUNDED})\b", re.I),
        obj=re.compile(rf"\b(?P<verb>{_OBJECT_KILLED}|{_OBJECT_WOUNDED})\s+"
                       rf"(?:another\s+|a\s+further\s+)?{qty}{noun}", re.I),
        left=re.compile(rf"\b(?:left|leaving|leaves|leave)\s+{qty}{noun}\s+"
                        rf"(?P<verb>{_VERB_KILLED}|{_VERB_WOUNDED})\b",
                        re.I),
        toll=re.compile(rf"\b(?:death\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of|reached|was|is)"
                        rf"|(?:put|puts|putting|raised|raises|set|sets)\s+the\s+toll\s+at)\s+"
                        rf"{qty}", re.I),
        group=re.compile(rf"(?<!\w)(?P<group>{single}(?:\s*(?:,|and|,\s*and)\s*{single})+)"
                         rf"{aux}\s+(?P<verb>{_VERB_KILLED}|{_VERB_WOUNDED})\b", re.I),
        # "killing a man", "killed two children and a woman", "killing a commander and one
        # of his aides": the people counted part by part after the verb.
        obj_group=re.compile(rf"\b(?P<verb>{_OBJECT_KILLED}|{_OBJECT_WOUNDED})\s+"
                             rf"(?P<group>(?:{single_obj}\s*,\s*)*{single_obj}"
                             rf"(?:\s*,?\s*and\s+{single_obj})?)\b"
                             rf"(?!\s+(?:were\s+|was\s+|had\s+been\s+|have\s+been\s+)?"
                             rf"(?:wounded|injured|hurt|killed|dead))", re.I),
        # "a 30-year-old farmer", "a 26 years citizen Azeem": an age, then a name after
        lone=re.compile(rf"(?<!\w)(?:a|an|one)\s+(?:\d+[\s-]*years?(?:[\s-]*old)?\s+)?"
                        rf"(?:[\w'’-]+\s+)?(?:{singular})\b(?:\s+(?-i:[A-Z])[\w'’-]+)?"
                        rf"(?:\s*\([^)]{{0,60}}\))?{aux}\s+(?P<verb>{_VERB_KILLED}|{_VERB_WOUNDED})\b",
                        re.I),
        family=re.compile(rf"\ba\s+family\s+of\s+(?P<n>{number}){aux}\s+"
                          rf"(?P<verb>{_VERB_KILLED}|{_VERB_WOUNDED})?", re.I),
        # "six of one family killed", "four members of the same family were wounded"
        kin=re.compile(rf"(?<![\w,.])(?P<n>{number})\s+(?:members\s+)?of\s+(?:a|one|the\s+same)"
                       rf"\s+(?:single\s+)?family{aux}\s+(?P<verb>{_VERB_KILLED}|{_VERB_WOUNDED})\b",
                       re.I),
        number=re.compile(rf"^(?:{single})$", re.I),
        # "Darya Khan, police chief of Sarubi district, died when ...": one person, named
        named=re.compile(r"(?<![\w’'-])(?:[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){1,3})"
                         r"(?:\s*,\s*[^,.;\"“”]{3,80}?,)?\s+(?:was\s+(?:also\s+|later\s+)?"
                         r"(?P<verb>killed|shot\s+dead|gunned\s+down|wounded|injured)|(?P<died>died))\b"),
        # "killed five members of the security forces and four civilians": a second part
        # of the same toll after the verb's object (not "and 12 others were wounded").
        more=re.compile(rf"(?:\s+of\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){{0,2}}?)?\s*,?\s+"
                        rf"(?:and|as\s+well\s+as|plus)\s+"
                        rf"(?P<n>{number})\s+(?:[\w'’-]+\s+)?(?:{persons})\b"
                        rf"(?!\s+(?:were\s+|was\s+|are\s+|had\s+been\s+|have\s+been\s+)?"
                        rf"(?:wounded|injured|hurt))", re.I),
        # "killed 12 people in Douma, five in Harasta and three others in Arbin": the same
        # toll told on, town by town, with its verb left out. Either "others"/"more" says
        # so, or the count is followed by where ("five in Harasta").
        elided=re.compile(
            rf"[^;.:]{{0,150}}?(?:,\s*(?:and\s+)?|\s+and\s+|\s+[-–—]\s+|\s*,?\s*(?:besides|as\s+well\s+as"
            rf"|plus|while)\s+)(?P<more>another\s+|a\s+further\s+)?(?!(?:19|20)\d\d\b)"
            rf"(?P<n>{number})"
            # "five more die in a road accident": a clause of its own
            rf"(?:\s+(?P<others>others|more)\b(?!\s+than|\s+(?:die|died|dies|were|was|are)\b)"
            rf"|(?:\s+[\w'’-]+)?{_WHERE_COUNTED})", re.I),
    )


def parse_number(text: str, vocab: Vocabulary | None = None) -> int | None:
    """'twenty five' -> 25, '1,200' -> 1200, 'dozens' -> 12; None when not a number."""
    vocab = vocab or vocabulary()
    words = text.lower().strip()
    if words in vocab.vague_numbers:
        return vocab.vague_numbers[words]
    if words == "another":
        return 1
    digits = words.replace(",", "")
    if digits.isdigit():
        return int(digits)
    total = 0
    for part in re.split(r"[\s-]+", words):
        if part == "dozen":
            total = (total or 1) * 12
        elif part in vocab.number_words:
            total += vocab.number_words[part]
        else:
            return None
    return total or None


def _figure(match: re.Match[str], kind: str, vocab: Vocabulary) -> Figure | None:
    groups = match.groupdict()
    first = groups.get("a") or groups.get("n")
    second = groups.get("b") or groups.get("m")
    low = parse_number(first, vocab) if first else None
    if low is None:
        return None
    high: int | None = parse_number(second, vocab) if second else None
    if high is not None and high < low:
        # "KYIV, March 26 - Four soldiers were killed": a date and a count, not a range.
        which = "b" if groups.get("b") else "m"
        return Figure(kind, high, high, high, match.start(which), match.end())
    modifier = _MODIFIERS.get((groups.get("mod") or "").lower())
    if modifier == "over":
        low += 1
    if high is None and modifier in (None, "about"):
        high = low if first and first.lower() not in vocab.vague_numbers else None
    if modifier == "max":
        high, low = low, low
    return Figure(kind, low, low, high, match.start(), match.end(), exceeds=modifier == "over")


def _kind(verb: str) -> str:
    return "wounded" if re.search(r"wound|injur|hurt", verb, re.I) else "killed"


def find_figures(text: str) -> list[Figure]:
    """Every killed or wounded figure stated in one sentence, in order."""
    vocab = vocabulary()
    patterns = _patterns()
    # Offsets stay those of the sentence: a year becomes as many '#' as it has digits.
    text = _YEAR.sub(lambda m: m.group(1) + "#" * len(m.group(2)), text)
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def add(figure: Figure | None) -> None:
        if figure is None or any(figure.start < e and s < figure.end for s, e in taken):
            return
        if max(figure.low or 0, figure.best or 0, figure.high or 0) > MAX_TOLL:
            return  # "killing 10000000000000000000000": a damaged figure, not a toll
        if _BOTH.search(text[max(0, figure.start - 25): figure.end + 25]) and not _explicit_pair(
            text, figure
        ):
            return
        found.append(figure)
        taken.append((figure.start, figure.end))

    for match in patterns.group.finditer(text):
        if not _OBJECT_BEFORE.search(text[max(0, match.start() - 30): match.start()]):
            add(_group_figure(match, vocab))  # not "killed 5 soldiers and 12 were wounded"
    for match in patterns.obj_group.finditer(text):
        if match.group("group").lower().startswith("the ") and match.group("verb").lower(
                ).endswith(" of"):
            continue  # "led to the martyrdom of the young man": the one told before
        add(_continued(_group_figure(match, vocab), text, vocab))
    for match in patterns.kin.finditer(text):
        add(_figure(match, _kind(match.group("verb")), vocab))
    for match in patterns.named.finditer(text):
        add(Figure(_kind(match.group("verb") or match.group("died")), 1, 1, 1, match.start(),
                   match.end()))
    for match in patterns.lone.finditer(text):  # "an old woman was injured"
        add(Figure(_kind(match.group("verb")), 1, 1, 1, match.start(), match.end()))
    for match in patterns.family.finditer(text):
        n = parse_number(match.group("n"), vocab)
        if n:
            add(Figure(_kind(match.group("verb") or "killed"), n, n, n, match.start(),
                       match.end()))
    for pattern in (patterns.subject, patterns.left):
        for match in pattern.finditer(text):
            add(_figure(match, _kind(match.group("verb")), vocab))
    for match in patterns.obj.finditer(text):
        add(_continued(_figure(match, _kind(match.group("verb")), vocab), text, vocab))
    for match in patterns.toll.finditer(text):
        add(_figure(match, "killed", vocab))
    for wounded in [f for f in found if f.kind == "wounded"]:
        # "10 children were wounded, one of whom later succumbed to his wounds"
        died = _DIED_OF.match(text, wounded.end)
        n = parse_number(died.group("n"), vocab) if died else None
        if died and n and n < wounded.best:
            found[found.index(wounded)] = replace(
                wounded, low=max(wounded.low - n, 0), best=wounded.best - n,
                high=wounded.high - n if wounded.high is not None else None)
            found.append(Figure("killed", n, n, n, died.start("n"), died.end()))
    for first in sorted(found, key=lambda f: f.start):
        parts, additive = _elided(first, text, found, vocab)
        for part in parts:
            add(part)
        if len(parts) > 1 and not additive and sum(p.best for p in parts) == first.best and (
                not _PLACED.match(text, first.end)):
            # "Five soldiers were killed, two in Bakhmut and three in Avdiivka": the total
            # told town by town; the towns' counts are the figures.
            found.remove(first)
    return sorted((_with_who(replace(f, adds=bool(_ADDS.search(text, f.start, f.end))), text,
                             vocab) for f in found), key=lambda f: f.start)


_ADDS = re.compile(r"\b(?:also|a\s+further|additional)\b|\banother\s+(?=\d|\w+\s)"
                   r"|\b\w+\s+more\b(?!\s+than)", re.I)
# After a count of wounded, those of them who died.
_DIED_OF = re.compile(r"\s*[,;]?\s*(?:and\s+)?(?P<n>\w+)\s+of\s+(?:whom|them)\s+(?:\w+\s+){0,2}?"
                      r"(?:died|succumbed|passed\s+away)\b", re.I)
# A count followed by where it was counted ("12 people in Douma").
_PLACED = re.compile(r"(?:\s+\w[\w'’-]*){0,3}?" + _WHERE_COUNTED, re.I)


def _elided(first: Figure, text: str, found: list[Figure], vocab: Vocabulary,
            ) -> tuple[list[Figure], bool]:
    """The counts that tell ``first``'s toll on, town by town, with the verb left out
    ("killed 12 people in Douma, five in Harasta and three in Arbin"), up to the next
    figure the sentence states with its own verb; and whether any says it adds to the
    first ("three others", "another two") rather than divides it."""
    parts: list[Figure] = []
    additive = False
    at = first.end
    while (elided := _patterns().elided.match(text, at)) is not None:
        start, end = elided.start("n"), elided.end("n")
        n = parse_number(elided.group("n"), vocab)
        if n is None or any(at <= f.start < end for f in found):
            break
        parts.append(Figure(first.kind, n, n, n, start, end, told_on=True))
        additive = additive or bool(elided.group("more") or elided.group("others"))
        at = end
    return parts, additive


def _continued(figure: Figure | None, text: str, vocab: Vocabulary) -> Figure | None:
    """The figure with the second part of its toll added, if the sentence gives one."""
    more = _patterns().more.match(text, figure.end) if figure else None
    if figure is None or more is None or (extra := parse_number(more.group("n"), vocab)) is None:
        return figure
    first = _who(text[figure.start:figure.end], vocab)
    second = _who(text[more.start("n"):more.end()], vocab)
    civilians = (figure.best if first == "civilians" else 0) + (
        extra if second == "civilians" else 0)
    combatants = (figure.best if first == "combatants" else 0) + (
        extra if second == "combatants" else 0)
    return replace(figure, low=figure.low + extra, best=figure.best + extra,
                   high=figure.high + extra if figure.high is not None else None,
                   end=more.end(), civilians=civilians or None, combatants=combatants or None)


def _group_figure(match: re.Match[str], vocab: Vocabulary) -> Figure | None:
    """A toll counted part by part ("two children and a woman"), with how many of it were
    civilians and how many fighters; None when the parts count nobody."""
    parts = re.split(r"\s*,\s*and\s*|\s*,\s*|\s+and\s+", match.group("group"))
    counts = [(_group_count(part, vocab), _who(part, vocab)) for part in parts]
    count = sum(n for n, _ in counts)
    if not count:
        return None
    return Figure(_kind(match.group("verb")), count, count, count, match.start(), match.end(),
                  civilians=sum(n for n, who in counts if who == "civilians") or None,
                  combatants=sum(n for n, who in counts if who == "combatants") or None)


def _with_who(figure: Figure, text: str, vocab: Vocabulary) -> Figure:
    if figure.civilians is not None or figure.combatants is not None:
        return figure  # a group, counted part by part
    who = _who(text[figure.start:figure.end], vocab)
    if who is None:
        return figure
    if who == "civilians":
        return replace(figure, civilians=figure.best)
    return replace(figure, combatants=figure.best)


def _who(counted: str, vocab: Vocabulary) -> str | None:
    """Whom a figure counts: 'three soldiers' -> combatants, 'a woman and a child' ->
    civilians; None when the words do not say or name both. An 'including ...' aside
    does not decide for the whole figure."""
    counted = re.sub(r"[,–—-]+\s*including\s[^,–—.;]*", "", counted, flags=re.I)
    civilians = bool(vocab.civilian_nouns.search(counted))
    combatants = bool(vocab.combatant_nouns.search(counted))
    if civilians == combatants:
        return None
    return "civilians" if civilians else "combatants"


def _explicit_pair(text: str, figure: Figure) -> bool:
    """'2 killed and 10 wounded' names both counts; 'killed and wounded 45' names neither."""
    span = text[figure.start:figure.end]
    return bool(re.search(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", span,
                          re.I)) and not re.search(
        r"(killed|dead)\s+(and|or)\s+(wounded|injured)\s+(?:(?:at\s+least|more\s+than|over|about"
        r"|some|nearly|up\s+to|as\s+many\s+as)\s+)?(?:\S*\d|(?:one|two|three|four|five|six"
        r"|seven|eight|nine|ten|dozens?)\b)", text, re.I)


def _group_count(part: str, vocab: Vocabulary) -> int:
    words = part.strip().split()
    if not words:
        return 0
    head = words[0].lower()
    if head in ("his", "her", "their", "its") and len(words) > 1:
        words, head = words[1:], words[1].lower()  # "her two daughters"
    if head in ("a", "an") or (head.isalpha() and head not in vocab.number_words):
        return 1
    return parse_number(head, vocab) or (parse_number(" ".join(words[:2]), vocab) or 0)


def combine(figures: list[Figure]) -> Casualties:
    """Several reported figures for one event -> lowest credible, best, highest credible.
    Figures that say they add to those before ("were also killed") are summed onto them."""
    added = [f for f in figures if f.adds]
    if added and len(added) < len(figures):
        base = combine([f for f in figures if not f.adds])
        extra = sum(f.best for f in added)
        best = (base.best or 0) + extra
        return Casualties(low=(base.low or 0) + extra, best=best,
                          high=base.high + extra if base.high is not None else None,
                          civilians=_count_of(figures, "civilians", best),
                          combatants=_count_of(figures, "combatants", best))
    if not figures:
        return Casualties()
    lows = [f.low for f in figures]
    bests = sorted(f.best for f in figures)
    highs = [f.high for f in figures if f.high is not None]
    best = bests[(len(bests) - 1) // 2]
    # "more than 20" is a bound; "twenty-two were killed" a count within it: the counts
    # decide when there are some.
    floor = max((f.low for f in figures if f.exceeds), default=None)
    counts = sorted(f.best for f in figures
                    if floor is not None and not f.exceeds and f.high == f.low >= floor)
    if counts:
        best = counts[(len(counts) - 1) // 2]
    high = max([*highs, *bests]) if highs or len(figures) > 1 else None
    return Casualties(low=min(lows), best=best, high=high,
                      civilians=_count_of(figures, "civilians", best),
                      combatants=_count_of(figures, "combatants", best))


def _count_of(figures: list[Figure], who: str, best: int) -> int | None:
    """How many of the best toll the report says were ``who``: its largest such figure
    ("three soldiers and two civilians were killed" -> 3 and 2), never above the toll."""
    counts = [n for f in figures if (n := getattr(f, who)) is not None]
    return min(max(counts), best) if counts else None
