"""Reading a report sentence by sentence into claims, one per event it tells.

(Over 600 lines by choice: every rule here reads and writes the same state, the events
told so far, and splitting them would pass that state around more than it would clarify.
Places, tolls, dates, the parse and the vocabulary live in their own modules.)

A sentence with an event trigger and a place opens an event (or adds to the one
already told for that place); a sentence that refers back to it ("the raid",
a toll with no place) adds to the last one. Background (war totals, history,
populations), plans, threats and halts are not events.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from trucewatch.actors import ActorDictionary
from trucewatch.extract.dates import EventDate, find_event_dates
from trucewatch.extract.language import (
    blames,
    denials,
    governing_verb,
    parse,
    role,
    speakers,
    tokens_in,
)
from trucewatch.extract.numbers import Figure, combine, find_figures
from trucewatch.extract.places import PlaceMention, PlaceReader
from trucewatch.extract.sentences import Sentence
from trucewatch.extract.vocabulary import Vocabulary
from trucewatch.geo.countries import Country, find_country
from trucewatch.geo.gazetteer import Gazetteer, fold
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Claim,
    DatePrecision,
    EventType,
    Evidence,
    Place,
    Span,
)
from trucewatch.world_actors import RELATIONS, WorldActors, qualifier_after

if TYPE_CHECKING:
    from spacy.tokens import Doc

# How far back (in paragraphs) a sentence with no place may still add to an event.
FOLLOW_UP_PARAGRAPHS = 3
# How many words before a trigger an irrealis cue ("should", "halt to") governs it.
IRREALIS_WINDOW = 60
# How far (in paragraphs) a toll told before its place may wait for the sentence placing it.
PENDING_PARAGRAPHS = 3
_MIN_CLAUSE = 20
_TIMES = (r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
          r"\w+teen|\w+ty)")
_VIOLATION_COUNT = re.compile(
    rf"\b(?:violated|broke|breached)\s+(?:the\s+)?(?:ceasefire|cease-fire|truce)(?:\s+regime)?"
    rf"\s+(?:[\w-]+\s+){{0,12}}?(?:about\s+|some\s+|more\s+than\s+|over\s+)?{_TIMES}\s+times\b"
    rf"|\b(?:recorded|registered|counted|observed|reported)\s+(?:about\s+|some\s+|more\s+than\s+"
    rf"|at\s+least\s+|over\s+)?\d[\d,]*\s+(?:ceasefire\s+violations|violations\s+of\s+the\s+"
    rf"(?:ceasefire|truce)|explosions)\b"
    rf"|\b\d[\d,]*\s+(?:ceasefire\s+violations|violations\s+of\s+the\s+(?:ceasefire|truce))\b",
    re.I)
_HEAVY_FIRE = re.compile(r"\b(?:explosions?|shell\w*|mortars?|artillery|rockets?|howitzers?|"
                         r"tanks?|MLRS|Grad)\b", re.I)
_KILL_VERB = re.compile(r"\b(?:killed|kill|kills|killing|shot\s+dead|massacred|slaughtered)\b",
                        re.I)
# Just before a date: the day somebody spoke or counted, not the day of the event ("told
# AFP on Thursday", "the toll rose on Friday"; but "told AFP that on Wednesday gunmen
# struck" dates the attack).
_SAID_ON = re.compile(r"\b(?:said|says|announced|reported|stated|added|confirmed|"
                      r"rose|climbed|risen|jumped|condemned|warned|"
                      r"(?:voiced|expressed)\s+(?:alarm|concern|outrage)(?:\s+\w+)?|"
                      r"told(?:\s+(?!that\b)[\w'’]+){1,3}|in\s+a\s+statement|"
                      r"statement\s+(?:issued|released))\s*(?:(?:late|early)\s+)?(?:on\s*)?$",
                      re.I)
# After a day: the verb of saying it dates ("the army on Monday denied that ...").
_SAID_AFTER = re.compile(r"\s*,?\s*(?:said|says|denied|announced|told|reported|confirmed|"
                         r"rejected)\b", re.I)
# A day that opens the sentence, then its speaker ("On Saturday, security sources told
# journalists that ..."); at the end, "... on Saturday, officials said" dates the event.
_OPENING_DAY = re.compile(r"\s*(?:(?:late|early)\s+)?(?:on\s+)?", re.I)
_SPEAKER_AFTER = re.compile(r"\s*,\s*(?:the\s+)?(?:[\w-]+\s+){1,3}?(?:said|says|told|announced|"
                            r"reported|confirmed)\b", re.I)
_BY = re.compile(r"\b(?:carried\s+out|conducted|launched|fired|flown)\s+by\s+|\bby\s+", re.I)
# What an act is aimed at follows these ("fired on", "targeted the").
_AIM = r"\b(?:on|against|targeting|targeted|at)\s+(?:the\s+)?"
_TARGET = re.compile(_AIM + r"(?:positions\s+of\s+)?$", re.I)  # just before a mention
_PHOTO = re.compile(
    r"\((?P<outlet>[A-Z][\w ]{1,20}?)\s+photo\)|photo\s+credit:?\s*[^)]*?/\s*(?P<credit>[A-Z]\w+)",
    re.I,
)
_INTRODUCED = re.compile(r"\b(?:town|city|village|neighbou?rhood|district|suburb)s?\s+of\s+$",
                         re.I)
# What stands between two places of one list: "A, B and C", "A and B villages".
_LIST_GLUE = re.compile(
    r"\s*(?:,|,?\s+and|,?\s+or|/)\s+(?:the\s+)?(?:(?:villages?|towns?)\s+of\s+)?")
# A year that dates what a clause tells ("in 2013", "since 2015").
_YEAR_DATING = re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d\d)\b", re.I)
# Verbs whose object is whom an attack was done to ("militants ambushed soldiers").
_HARM_VERBS = frozenset({
    "attacked", "attack", "attacks", "targeted", "targeting", "shelled", "bombed", "struck",
    "hit", "ambushed", "killed", "killing", "wounded", "abducted", "kidnapped", "shot",
    "raided", "stormed", "besieged", "overran", "engaged", "clashed", "fought", "repelled",
})
_BLAME_WORDS = re.compile(r"\b(?:blamed|blames|accused|accuses|denied|denies|rejected)\b")
# Speakers too bare to name a source: "the source added" means the one cited before.
_BARE_SOURCES = frozenset({"source", "sources", "official", "officials", "spokesman",
                           "spokeswoman", "spokesperson", "statement", "report"})
_NOT_PLACE_WORDS = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "The", "A", "An",
})
_SPEAKER = re.compile(r"['’]s?\s+(?:[\w-]+\s+)?(?:news|media|agency|television|TV|radio|"
                      r"spokes\w+|website|statement|channel|outlet)\b", re.I)
_NOT_ACTOR_WORDS = _NOT_PLACE_WORDS | {"On", "In", "At", "By", "When", "After", "Late", "Early"}
_TOLL = re.compile(r"\btoll\b", re.I)
# A sentence that opens another event of the same report ("In a separate strike ...").
_SEPARATE = re.compile(r"\b(?:in\s+a\s+separate|separately|in\s+(?:an)?other\s+(?:attack|strike|"
                       r"raid|incident|ambush))\b", re.I)
# A sentence about another event than the one told so far ("Earlier this month, clashes
# in another part of the country killed 18"): its toll is not this event's.
_ELSEWHERE = re.compile(
    r"\b(?:elsewhere|in\s+(?:an)?other\s+(?:part|parts|area|areas|region|district)s?\b|"
    r"in\s+a\s+separate\b|separately|earlier\s+this\s+(?:month|year)|last\s+(?:month|year)|"
    r"(?:earlier|previous|prior)\s+(?:attacks?|incidents?|clashes|strikes?))", re.I)
# A sentence that tells of what had happened before the news ("had already been hit").
_BEFORE_THEN = re.compile(r"\bhad\s+(?:already|previously|earlier|also)\s+been\b", re.I)
# A sentence that tells of something else done where the last event was ("In the same
# area, armed men blew up a railway track").
_SAME_AREA = re.compile(
    r"\b(?:in|within|from)\s+the\s+same\s+(?:area|sector|district|region|locality|village|"
    r"town|neighbou?rhood|province|county)\b"
    # "in the city's west": the city just told
    r"|\b(?:in|on)\s+the\s+(?:city|town|village)['’]s\s+(?:north|south|east|west|centre|"
    r"center|outskirts)", re.I)
# Before a reference point, an unnamed place ("in a town close to ", "a village near ", a
# headline's "in town near ").
_UNNAMED_NEAR = re.compile(r"\b(?:a\s+|an\s+|in\s+)(?:[\w-]+\s+)?(?:town|village|hamlet|settlement|"
                           r"locality|camp|area)\s+(?:near|close\s+to|outside|not\s+far\s+from|"
                           r"just\s+outside)\s+(?:the\s+)?(?:city\s+of\s+)?$", re.I)
# A front line a count of violations is of ("in various directions of the front", "along the
# line of contact").
_FRONT = re.compile(r"\b(?:along|on|across|in|at)\s+(?:the\s+)?(?P<front>(?:(?:various|several|all|"
                    r"different|many)\s+(?:directions|sections|sectors|parts|areas)\s+of\s+the\s+)?"
                    r"(?:front(?:\s*line)?|line\s+of\s+contact|contact\s+line|Line\s+of\s+Control|"
                    r"LoC))\b", re.I)
_ALSO_HIT = re.compile(r"\balso\s+(?:been\s+)?(?:hit|struck|shelled|targeted|attacked|bombed|"
                       r"pounded|raided)\b", re.I)
# Where a sentence goes on to another event with its own weapon (", and a tank shell struck").
_AND_WEAPON = re.compile(r",\s+(?:and|while)\s+(?=(?i:an?|the|another|two|three)\s|[A-Z])")
_HITS_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:struck|hit|landed|exploded|fell|slammed|"
                         r"killed|targeted)\b", re.I)
_PLACED_IN = re.compile(r"\b(?:in|at|on|near)\s+(?:the\s+)?(?:(?:north|south|east|west|central)"
                        r"\w*\s+)?[A-Z]")
# A sentence that says where the place of the event told lies ("The village lies in the
# Circle of Bankass").
_LIES_IN = re.compile(r"\b(?:the|that)\s+(?:village|town|camp|locality|site|settlement)\s+"
                      r"(?:lies|is\s+located|is\s+situated|sits)\s+(?:in|within)\b", re.I)
# A sentence that names the last event's place again by its kind ("The same camp was hit
# on Saturday").
_SAME_SPOT = re.compile(r"\b(?:the|that)\s+same\s+(?:camp|town|village|city|area|district|"
                        r"neighbou?rhood|market|hospital|school|building|site|locality)\b",
                        re.I)
_CORRESPONDENT = re.compile(
    r"\b(?P<outlet>[A-Z][A-Za-z]{1,15})\s+(?:correspondent|reporter|journalist)s?\b"
)


@dataclass
class _Event:
    event_type: EventType
    place: Place | None  # None while a lede's event waits for the sentence that places it
    paragraph: int
    weak: bool
    date: EventDate | None = None
    date_sentence: Sentence | None = None
    figures: list[tuple[Figure, Sentence]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    confirmed: bool = False
    perpetrator: tuple[str, str | None, Sentence] | None = None  # text, actor id, where
    target: tuple[str, str | None] | None = None
    evidence: list[Evidence] = field(default_factory=list)
    location_text: str | None = None
    # How specific the report says the place is (1 a town or village, even one placed at a
    # coarser point; 2 a district; 3 a province).
    rank: int = 1
    # Who blames whom, and who denies it: an attribution kept as contested.
    blame: list[tuple[str, str]] = field(default_factory=list)
    denials: list[str] = field(default_factory=list)
    # The day somebody spoke of it ("officials said on Sunday"): the event's day only when
    # the report gives no other.
    said_date: tuple[EventDate, Sentence] | None = None
    # A count of violations ("the SMM recorded 112 ceasefire violations in Donetsk region"):
    # a record of its own, never a summary of the towns the report names.
    count: bool = False
    # Dated by the report's focus day or the day somebody spoke, not by its own sentences.
    date_guessed: bool = False
    # "in a town close to Mosul": the place is unnamed, placed near a reference point.
    unnamed: bool = False
    # "Neighbourhoods of Hays district were also hit": another place, no summary of the last.
    also_hit: bool = False


class EventReader:
    def __init__(self, vocab: Vocabulary, gazetteer: Gazetteer, actors: ActorDictionary | None,
                 text: str, published: date | None,
                 dateline_span: tuple[int, int] | None) -> None:
        self.vocab = vocab
        self.gazetteer = gazetteer
        self.actors = actors
        self.text = text
        self.published = published
        self.places = PlaceReader(gazetteer, excluded=dateline_span)
        self.dateline_span = dateline_span
        self.events: list[_Event] = []
        # The first day a sentence about violence names: the day an undated event most
        # likely belongs to ("Tuesday's air strikes ... 40 were killed in the town").
        self.focus_date: tuple[EventDate, Sentence] | None = None
        self._clause_dates: tuple[tuple[int, str], tuple[list[EventDate], list[EventDate]]] = (
            (-1, ""), ([], []))
        self._sentence_start = 0  # where the sentence being read begins in the text
        self._clause_places: tuple[int, list[PlaceMention]] = (-1, [])
        self._docs: dict[int, Doc] = {}
        self._next: dict[int, Sentence] = {}  # each sentence's next, by its start

    def read(self, sentences: list[Sentence], dateline_place: str | None = None) -> list[Claim]:
        self.places.country = self.places.report_country(self.text, dateline_place)
        self._next = {a.start: b for a, b in pairwise(sentences)}
        self._parse_events(sentences)
        for sentence in sentences:
            self._read_sentence(sentence)
        for event in self.events:
            fallback = self.focus_date or event.said_date
            if (event.date is None or event.date.day is None) and fallback:
                event.date, event.date_sentence = fallback
                event.date_guessed = True
                event.evidence.append(Evidence("event_date", _span(fallback[1])))
        kept = _named_later([event for event in self.events
                             if event.place is not None and self._keep(event)])
        _inherit_sources(kept)
        # Summaries first: one may hand its toll to the only town event it sums up. By
        # identity: two events told alike are still two.
        summaries = {id(event) for event in kept if self._summarised(event, kept)}
        return [self._claim(event) for event in kept if id(event) not in summaries]

    def _parse_events(self, sentences: list[Sentence]) -> None:
        """Parse, in one batch, only the sentences that tell of violence: the model is the
        costly part of reading, and most of a report is context."""
        wanted = [s for s in sentences if len(s.text) >= _MIN_CLAUSE and (
            self._trigger(self._clause(s.text))[0] or self.vocab.killed.search(s.text)
            or self.vocab.wounded.search(s.text) or _BLAME_WORDS.search(s.text)
            or self.vocab.anaphors.search(s.text))]
        docs = parse([self._clause(s.text) for s in wanted]) if wanted else None
        if docs is not None:
            self._docs = {s.start: doc for s, doc in zip(wanted, docs, strict=True)}

    # --- one sentence ---------------------------------------------------------------------

    def _read_sentence(self, sentence: Sentence) -> None:
        if parts := self._two_events(sentence):
            for part in parts:
                self._read_sentence(part)
            return
        self._sentence_start = sentence.start
        clause = self._clause(sentence.text)
        if len(clause) < _MIN_CLAUSE:
            return
        if _BLAME_WORDS.search(sentence.text) and (recent := self._recent(sentence)):
            self._add_blame(recent, sentence)
        kind, trigger, weak = self._trigger(clause)
        figures = find_figures(clause)
        if kind is EventType.ABDUCTION and any(f.kind == "killed" for f in figures):
            kind = EventType.ATTACK  # "..., killing two and kidnapping several": an attack
        if kind is EventType.ATTACK and trigger is not None and self._on_armed_men(
                clause, trigger.end()):
            kind = EventType.ARMED_CLASH  # ACLED: an attack on soldiers is a clash
        elif kind is EventType.ARMED_CLASH and trigger is not None and self._on_civilians(
                clause, trigger.end()):
            kind = EventType.ATTACK  # "firing ... which targeted the civil population"
        if ((kind is not None or figures) and self.focus_date is None
                and not _BEFORE_THEN.search(clause)):
            day = _first_known([d for d in self._dates(clause)
                                if d.precision is DatePrecision.DAY])
            self.focus_date = (day, sentence) if day else None
        last = self._recent(sentence)
        if (kind is None and last is None and not self._places(sentence, clause)
                and (killing := self._killing(clause, figures))):
            # A lede's killing with no place yet: the sentences after it say where.
            kind, trigger, weak = EventType.ATTACK, killing, True
        if kind is None or trigger is None:
            if last is None:
                return
            places = self._places(sentence, clause)
            if figures and places and (_SEPARATE.search(clause) or any(
                    p.place.geo_precision == 1 or (p.rank < last.rank and not p.near)
                    for p in places)):
                # "... and nine were killed in B": a toll for another town, same kind of event.
                kind, weak = last.event_type, last.weak
            else:
                if figures or _TOLL.search(clause):
                    self._narrow(last, self._places(sentence, clause), clause)
                    self._add(last, sentence, clause, figures)
                elif self._narrow(last, self._places(sentence, clause), clause):
                    # "The killings happened in Limmu Kosa district": where, told after.
                    self._add(last, sentence, clause, figures)
                elif sentence.paragraph == last.paragraph:
                    # "..., the army said in a statement.": who the same paragraph cites.
                    self._add_sources(last, sentence, clause)
                return
        if trigger is not None and self._irrealis(clause, trigger.start()) and not figures:
            return
        if self._history(clause):
            return  # "in 2015 jihadists attacked the town": background, not this report's news
        places = self._places(sentence, clause)
        if (not places and trigger is not None and trigger.re is _VIOLATION_COUNT
                and clause == sentence.text  # not "3,186 violations since January"
                and (front := self._front(clause)) is not None):
            # "broke the ceasefire 23 times in various directions of the front": a record
            # of the front line the count is of
            event = _Event(kind, front, sentence.paragraph, False, rank=3, count=True)
            event.location_text = front.name
            self.events.append(event)
            self._add(event, sentence, clause, figures, kind=kind, weak=False)
            return
        if not places:
            anaphoric = bool(self.vocab.anaphors.search(clause))
            another_day = (last is not None and bool(figures) and not anaphoric
                           and (self._another_day(last, clause)
                                or bool(_ELSEWHERE.search(clause))))
            # "The same camp was hit on Saturday": the last place told, however far back
            spot = (last or self._last_placed()) if _SAME_SPOT.search(clause) else None
            if spot is not None and figures and spot.place is not None and (
                    self._another_day(spot, clause)):
                self._add(self._event_at(spot, kind, sentence, weak), sentence, clause, figures,
                          kind=kind, weak=weak)
            elif (last is not None and (not weak or figures) and last.place is not None
                    and not _same_kind(last.event_type, kind) and _SAME_AREA.search(clause)):
                # "In the same area, armed men blew up a railway track": another event
                self._add(self._event_at(last, kind, sentence, weak), sentence, clause, figures,
                          kind=kind, weak=weak)
            elif last is not None and (anaphoric or figures or weak) and not another_day:
                # A bare weak word ("since Indian jets crossed on February 26") is context:
                # its day is not the event's.
                context = weak and not figures and not anaphoric
                self._add(last, sentence, clause, figures, kind=kind, weak=weak,
                          dates=[] if context else None)
            elif (last is None or another_day) and figures:
                # "An airstrike killed 26 in the country's north": placed by what follows.
                pending = self._unplaced(sentence)
                if pending is None:
                    pending = _Event(kind, None, sentence.paragraph, weak)
                    self.events.append(pending)
                self._add(pending, sentence, clause, figures, kind=kind, weak=weak)
            return
        dates = self._dates(clause)
        if (last is not None and last.place is not None and not figures and not dates
                and (_same_kind(last.event_type, kind) or self.vocab.anaphors.search(clause))
                and all(p.near and not p.known for p in places)):
            # "soldiers stationed near the Morag axis opened fire": more on the event told,
            # around a landmark no gazetteer has.
            self._add(last, sentence, clause, figures, kind=kind, weak=weak)
            return
        if last is not None and self._narrow(
                last, places, clause,
                detail=not figures and kind is not None and _same_kind(last.event_type, kind)):
            self._add(last, sentence, clause, figures, kind=kind, weak=weak, dates=dates)
            return
        pending = self._unplaced(sentence)
        places_pending = pending is not None and (weak or _same_kind(pending.event_type, kind))
        if weak and not figures and not dates and not places_pending:
            if last is not None and self.vocab.anaphors.search(clause):
                self._add(last, sentence, clause, figures)
                return
            if not self._toll_follows(sentence) and (last is None or not _SEPARATE.search(clause)):
                return
            # "In a separate strike in Molale district, a drone hit a hut": a new event,
            # whose toll the next sentence gives (kept only if one does).
        for mention, place_figures in self._places_with_figures(places, figures, clause):
            event = self._event_for(
                mention, kind, weak, sentence, dates,
                part_of_town=not mention.known and (
                    mention.quarter or _district_of_town(mention, places, clause)))
            event.count = event.count or (trigger is not None and trigger.re is _VIOLATION_COUNT)
            if event is pending and place_figures:
                # The lede's toll was the sum ("strikes killed 10 in the south"); this
                # sentence gives the town its own ("six died in Haris").
                own = {figure.kind for figure in place_figures}
                event.figures = [(f, s) for f, s in event.figures if f.kind not in own]
            if event.location_text is None:
                event.location_text = mention.written
                event.evidence.append(Evidence("location", _span(sentence)))
                event.evidence.append(Evidence("event_type", _span(sentence)))
            self._add(event, sentence, clause, place_figures, kind=kind, weak=weak, dates=dates)

    def _two_events(self, sentence: Sentence) -> tuple[Sentence, Sentence] | None:
        """"A drone hit civilians at the Shejaiya junction, and a tank shell struck a home in
        Shejaiya, killing another": two events, each with its weapon, place and toll, read
        as two sentences."""
        text = sentence.text
        for joint in _AND_WEAPON.finditer(text):
            rest = text[joint.end():]
            kind, trigger, _ = self._trigger(rest[:80])
            if (kind is None or trigger is None or trigger.start() > 30
                    or not (_HITS_AFTER.match(rest, trigger.end())
                            or _HITS_AFTER.search(trigger.group(0)))
                    or not _PLACED_IN.search(rest) or not _PLACED_IN.search(text, 0, joint.start())
                    or self._trigger(text[:joint.start()])[0] is None):
                continue
            return (replace(sentence, end=sentence.start + joint.start(),
                            text=text[:joint.start()] + "."),
                    replace(sentence, start=sentence.start + joint.end(), text=rest))
        return None

    def _toll_follows(self, sentence: Sentence) -> bool:
        """Does the next sentence of the paragraph give a toll and no place of its own ("a
        drone hit a health post in X. Six people were killed.")?"""
        following = self._next.get(sentence.start)
        if following is None or following.paragraph != sentence.paragraph:
            return False
        clause = self._clause(following.text)
        return (bool(find_figures(clause)) and self._trigger(clause)[0] is None
                and not self.places.find(clause, following.start,
                                         self._docs.get(following.start), remember=False))

    def _narrow(self, event: _Event, places: list[PlaceMention], clause: str,
                detail: bool = False) -> bool:
        """Place the event more finely when an anaphoric sentence names one place inside its
        province ("15 policemen were wounded in the assault in Patu district"), or, with
        ``detail``, when a sentence of the same kind and no toll of its own tells where in
        the province a lede's event happened ("Drones struck Amhara ..." then "In Kawot
        district, a drone circled the school"). True if so."""
        if event.place is None or not places:
            return False
        if not (self.vocab.anaphors.search(clause) or _LIES_IN.search(clause)) and not (
                detail and event.rank == 3):
            return False
        # "in Limmu Kosa district, in the Jimma zone of the Oromiya region": one place and
        # the units that hold it, all in the event's province; the finest is the place.
        mention = min(places, key=lambda m: (m.rank, m.start))
        # a reference point is finer than a province ("between Qoryooley and Shalanbod")
        if ((mention.near and event.rank < 3) or mention.rank >= event.rank
                or mention.place.admin1 is None
                or any(m.place.admin1 != event.place.admin1 for m in places)
                or sum(m.rank == mention.rank for m in places) > 1):
            return False
        event.place, event.rank, event.location_text = mention.place, mention.rank, \
            mention.written
        return True

    def _killing(self, clause: str, figures: list[Figure]) -> re.Match[str] | None:
        """A named group killing people is an attack, with no other word for it
        ("Separatists killed six gendarmes"): the kill verb after the group."""
        if not any(f.kind == "killed" for f in figures):
            return None
        verb = _KILL_VERB.search(clause)
        if verb is None or not any(end <= verb.start() for _s, end, _t, _a in
                                   self._actor_mentions(clause[:verb.start()])):
            return None
        return verb

    def _dates(self, clause: str) -> list[EventDate]:
        """The dates a clause names for what happened, found once however many rules ask
        for them. The dateline's date ("SANAA, Jan 22 -") is the day of the report, and
        "officials said on Sunday" the day they spoke (:meth:`_said_dates`)."""
        return self._all_dates(clause)[0]

    def _said_dates(self, clause: str) -> list[EventDate]:
        return self._all_dates(clause)[1]

    def _all_dates(self, clause: str) -> tuple[list[EventDate], list[EventDate]]:
        if self._clause_dates[0] != (self._sentence_start, clause):
            found = find_event_dates(clause, self.published)
            if self.dateline_span:
                begin, end = self.dateline_span
                found = [d for d in found
                         if not begin <= self._sentence_start + d.start < end]
            said = [d for d in found if _SAID_ON.search(clause[max(0, d.start - 30): d.start])
                    or _SAID_AFTER.match(clause, d.end)
                    or (_OPENING_DAY.fullmatch(clause, 0, d.start)
                        and _SPEAKER_AFTER.match(clause, d.end))]
            self._clause_dates = ((self._sentence_start, clause),
                                  ([d for d in found if d not in said], said))
        return self._clause_dates[1]

    def _country(self) -> Country | None:
        """The country the report is about, as far as it has been read."""
        return find_country(self.places.country) if self.places.country else None

    def _front(self, clause: str) -> Place | None:
        """The front line a clause names, as a place in the report's country."""
        found = _FRONT.search(clause)
        if found is None:
            return None
        country = self._country()
        return Place(name=found.group("front"), lat=country.lat if country else None,
                     lon=country.lon if country else None,
                     country=country.name if country else self.places.country, geo_precision=3)

    def _unplaced(self, sentence: Sentence) -> _Event | None:
        """A recent event told before the report said where it happened."""
        return next((e for e in reversed(self.events) if e.place is None
                     and sentence.paragraph - e.paragraph <= PENDING_PARAGRAPHS), None)

    def _another_day(self, event: _Event, clause: str) -> bool:
        """Does the sentence name a day other than the event's? (A caption of yesterday's
        strike, then today's toll.)"""
        if event.date is None or event.date.day is None:
            return False
        day = _first_known([d for d in self._dates(clause)
                            if d.precision is DatePrecision.DAY])
        return day is not None and day.day is not None and day.day != event.date.day

    def _clause(self, text: str) -> str:
        """The sentence up to a background cue ('..., bringing the war's toll to 30')."""
        cue = self.vocab.background.search(text)
        return text[: cue.start()] if cue else text

    def _trigger(self, clause: str) -> tuple[EventType | None, re.Match[str] | None, bool]:
        first: tuple[EventType, re.Match[str]] | None = None
        strong: tuple[EventType, re.Match[str]] | None = None
        # "assault rifles", "a bomb threat": a trigger word, no event
        masked = [m.span() for m in self.vocab.not_triggers.finditer(clause)]
        for kind, pattern in self.vocab.triggers:
            for match in pattern.finditer(clause):
                if any(s <= match.start() < e for s, e in masked):
                    continue
                # Among weak words, the weapon named first ("rockets struck the base"), and
                # a weapon before a bare verb of hitting ("struck", "strikes").
                if first is None or (_weak_rank(match) < _weak_rank(first[1])):
                    first = (kind, match)
                if match.group(0).lower() not in self.vocab.weak_triggers and strong is None:
                    strong = (kind, match)
        chosen = strong or first
        count = _VIOLATION_COUNT.search(clause)
        if count is not None and strong is None:
            # A monitor's or a side's count of ceasefire violations is a record of its own,
            # typed as ACLED types such reports: shelling when explosions are counted.
            kind = (EventType.SHELLING if _HEAVY_FIRE.search(clause) else
                    chosen[0] if chosen else EventType.ARMED_CLASH)
            return kind, count, False
        if chosen is None:
            return None, None, False
        return chosen[0], chosen[1], strong is None

    def _history(self, clause: str) -> bool:
        """Does the clause tell of a year long past (and of no day)? "Born in 1960" alone
        does not make a sentence history: only a year that dates the event does."""
        if self.published is None:
            return False
        years = [int(y) for y in _YEAR_DATING.findall(clause)]
        days = [d for d in self._dates(clause) if d.day is not None]
        return (bool(years) and all(y < self.published.year - 1 for y in years)
                and not any((self.published - d.day).days < 120 for d in days if d.day))

    def _on_armed_men(self, clause: str, after: int) -> bool:
        """Is the attack told at ``after`` one on soldiers, police or fighters?"""
        if _AGENT_NEXT.match(clause, after):
            return False  # "fire of the occupation forces": who fired, not who was hit
        target = self.vocab.armed_targets.search(clause[after: after + 80])
        if target is None or _SPEAKS.match(clause, after + target.end()):
            return False  # "..., police said": who told it, not who was hit
        civilians = self.vocab.civilian_nouns.search(clause[after: after + target.start()])
        return civilians is None

    def _on_civilians(self, clause: str, after: int) -> bool:
        """Is the firing told at ``after`` aimed at civilians ("targeted the civil
        population", "fired on civilians"), one-sided violence rather than a clash?"""
        window = clause[after: after + 80]
        for aimed in _AIMED_AT.finditer(window):
            adjective = re.match(r"\w+\s+", window[aimed.end():])  # "on unarmed civilians"
            starts = [aimed.end()] + ([aimed.end() + adjective.end()] if adjective else [])
            if any(self.vocab.civilian_nouns.match(window, at) for at in starts):
                return True
        return False

    def _irrealis(self, clause: str, trigger_at: int) -> bool:
        window = clause[max(0, trigger_at - IRREALIS_WINDOW): trigger_at]
        return bool(self.vocab.irrealis.search(window))

    def _places(self, sentence: Sentence, clause: str) -> list[PlaceMention]:
        """The sentence's places, read once however many rules ask."""
        if self._clause_places[0] != sentence.start:
            self._clause_places = (
                sentence.start,
                self.places.find(clause, sentence.start, self._docs.get(sentence.start)))
        return self._clause_places[1]

    def _places_with_figures(
        self, places: list[PlaceMention], figures: list[Figure], clause: str
    ) -> list[tuple[PlaceMention, list[Figure]]]:
        """The sentence's event places: the most specific, first named; the towns listed
        with it ("shells hit A, B and C": three events); and other towns that have a toll
        of their own ("37 killed in A and seven in B")."""
        # The most specific place; among equals, one introduced as "the town/city of X",
        # then one the event is in rather than near. A city named beside one of its
        # neighbourhoods ("Bab Touma ... Damascus") is the wider place.
        # A town that only says where a district lies ("in Sirwah district east of the
        # capital Sanaa") is no place of the event.
        primary = min(places, key=lambda p: (
            4 if _locates_district(p, places, clause) else _rank_among(p, places, clause),
            _contains_another(p, places), p.near,
            not _INTRODUCED.search(clause[max(0, p.start - 30): p.start]), p.start))
        chosen = {id(primary): primary}
        for listed in _listed_with(primary, places, clause):
            chosen[id(listed)] = listed
        for other in places:
            # "raided Douma, killing a man, and struck Harasta": a town hit in its own clause
            if (other.start > primary.end and not other.near and other.rank <= primary.rank
                    and _STRUCK_BEFORE.search(clause[max(0, other.start - 30):other.start])):
                chosen[id(other)] = other
        by_place: dict[int, list[Figure]] = {key: [] for key in chosen}
        for figure in figures:
            after = [p for p in places if p.start >= figure.end and p.place.geo_precision == 1
                     and not p.near and not (primary.end <= p.start and _CONTAINER.fullmatch(
                         clause[primary.end:p.start]))]  # not the city holding the district
            near = after[0] if after else primary
            told_after = bool(after) and not _TOLL_THEN_PLACE.fullmatch(
                clause[figure.end:after[0].start])
            if (told_after or _WHERE_BEFORE.search(clause, 0, figure.start)) and not (
                    figure.told_on and after):
                # "raided Douma, killing a man, and struck Harasta, where three died": the
                # toll told after a town is that town's, not the next one's.
                before = [p for p in chosen.values() if p.end <= figure.start and not p.near]
                near = before[-1] if before else near
            by_place.setdefault(id(near), []).append(figure)
            chosen[id(near)] = near
        ordered = sorted(chosen.items(), key=lambda item: item[1].start)
        return [(p, by_place[key]) for key, p in ordered]

    def _event_for(self, mention: PlaceMention, kind: EventType, weak: bool,
                   sentence: Sentence, dates: list[EventDate], *,
                   part_of_town: bool = False) -> _Event:
        place = mention.place
        day = _first_known(dates)
        caption = bool(_PHOTO.search(sentence.text))
        anaphoric = bool(self.vocab.anaphors.search(sentence.text))
        for event in self.events:
            # A photo caption shows its own scene: it never places the lede's event.
            if (event.place is None and not caption
                    and sentence.paragraph - event.paragraph <= PENDING_PARAGRAPHS and (
                    _same_kind(event.event_type, kind) or weak or event.weak or anaphoric)
                    # "On 15 February, a drone hit X": not the lede's tally of two days
                    and not (day and event.date and event.date.day
                             and event.date.day != day.day)):
                event.place, event.rank = place, mention.rank
                return event
            if event.place is None or not _same_place(event.place, place):
                continue
            if day and event.date and event.date.day and event.date.day != day.day:
                continue
            if day and event.date is None and _BEFORE_THEN.search(sentence.text):
                continue  # "X had already been attacked on January 18": an earlier event
            if place.geo_precision < event.place.geo_precision:
                # the headline's camp "in Darfur", the lede's "in El Fasher": the finer
                event.place, event.location_text = place, mention.written
            return event
        for event in self.events:
            # "the Ndosho district of Goma" after "shells hit Goma": where in the town.
            if (part_of_town and event.place is not None and event.place.geo_precision == 1
                    and (event.place.lat, event.place.lon) == (place.lat, place.lon)
                    and _same_kind(event.event_type, kind)
                    and (not day or not event.date or event.date.day == day.day)):
                event.place, event.rank, event.location_text = place, 1, mention.written
                return event
        # "Neighbourhoods of Hays district were also hit": another place hit
        also_hit = bool(_ALSO_HIT.search(sentence.text))
        for event in self.events:
            # A coarser mention of an event's own area ("in Idlib province") adds to it.
            if (mention.known and event.place is not None and not also_hit
                    and place.geo_precision > event.place.geo_precision
                    and place.admin1 == event.place.admin1
                    and sentence.paragraph - event.paragraph <= FOLLOW_UP_PARAGRAPHS):
                return event
        event = _Event(kind, place, sentence.paragraph, weak, rank=mention.rank)
        event.unnamed = mention.near and bool(_UNNAMED_NEAR.search(sentence.text, 0, mention.start))
        event.also_hit = also_hit
        self.events.append(event)
        return event

    def _event_at(self, told: _Event, kind: EventType, sentence: Sentence,
                  weak: bool) -> _Event:
        """A new event where ``told`` happened."""
        event = _Event(kind, told.place, sentence.paragraph, weak, rank=told.rank)
        event.location_text = told.location_text
        self.events.append(event)
        return event

    def _last_placed(self) -> _Event | None:
        return next((event for event in reversed(self.events) if event.place), None)

    def _recent(self, sentence: Sentence) -> _Event | None:
        if not self.events:
            return None
        # The event told last (a lede's toll placed later was created first).
        last = max(reversed(self.events), key=lambda e: e.paragraph)
        return last if sentence.paragraph - last.paragraph <= FOLLOW_UP_PARAGRAPHS else None

    # --- adding what a sentence says to an event ------------------------------------------

    def _add(self, event: _Event, sentence: Sentence, clause: str, figures: list[Figure], *,
             kind: EventType | None = None, weak: bool = True,
             dates: list[EventDate] | None = None) -> None:
        event.paragraph = max(event.paragraph, sentence.paragraph)
        if kind is not None and event.weak and not weak:
            event.event_type, event.weak = kind, False
        if event.date is None or event.date.precision is not DatePrecision.DAY:
            known = _first_known(dates if dates is not None else self._dates(clause))
            if known is not None and (event.date is None
                                      or known.precision is DatePrecision.DAY):
                # A day told later sharpens "this week" ("... of Monday's raid on Kodyel").
                event.date, event.date_sentence = known, sentence
                event.evidence.append(Evidence("event_date", _span(sentence)))
            elif event.said_date is None and (said := _first_known(self._said_dates(clause))):
                event.said_date = (said, sentence)
        for figure in figures:
            event.figures.append((figure, sentence))
            event.evidence.append(Evidence(figure.kind, _span(sentence)))
        self._add_sources(event, sentence, clause)
        self._add_actors(event, sentence, clause)

    def _add_sources(self, event: _Event, sentence: Sentence, clause: str) -> None:
        country = self._country()
        here = country.iso2 if country else None
        named = [name for source in self.vocab.sources
                 if (name := source.named_in(clause, here)) is not None]
        for match in self.vocab.source_descriptions.finditer(clause):
            described = re.sub(r"^(?:a|an|the)\s+|\s+told$", "", match.group(0).lower())
            if not any(described.rstrip("s") == n.lower().rstrip("s") for n in named):
                named.append(described)
        doc = self._docs.get(sentence.start)
        for phrase in speakers(doc) if doc is not None else ():
            if phrase.lower() in _BARE_SOURCES or any(
                    phrase.lower() in n.lower() for n in named):
                continue  # "the source added": resolved below; or said already
            # "the Sudan Doctors Network" says more than the "doctors" found in it, and
            # "civil defence spokesman Mahmoud Bassal" more than "civil defence".
            # (A longer phrase is more likely a parse gone astray than a fuller name.)
            named = [n for n in named if n in self.vocab.source_names
                     or n.lower() not in phrase.lower() or len(phrase.split()) > 7]
            if any(n.lower() in phrase.lower() for n in named):
                continue
            bare = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
            canonical = next((source.name for source in self.vocab.sources
                              if source.is_spelled(phrase, here)
                              or source.is_spelled(bare, here)), None)
            if canonical is None and self.vocab.outlets.fullmatch(phrase):
                canonical = phrase
            named.append(canonical or phrase)
        for match in _CORRESPONDENT.finditer(clause):
            if self.vocab.outlets.fullmatch(match.group("outlet")):
                named.append(match.group("outlet"))
        for match in _PHOTO.finditer(sentence.text):
            outlet = match.group("outlet") or match.group("credit")
            # Credits are often in capitals: "NAIF RAHMA / REUTERS".
            for spelling in (outlet, outlet.title()) if outlet else ():
                if self.vocab.outlets.fullmatch(spelling):
                    named.append(spelling)
                    break
        if not named and self.vocab.source_anaphors.search(clause):
            # "The source added that ...": whoever the report cited just before.
            cited = next((e.sources for e in reversed(self.events) if e.sources), [])
            named = list(cited)
        # 'activists' after 'local activists' is the same source, said again.
        new = [n for n in dict.fromkeys(named) if not any(
            n.lower() == s.lower() or s.lower().endswith(' ' + n.lower())
            for s in event.sources)]
        if new:
            event.sources.extend(new)
            event.evidence.append(Evidence("sources", _span(sentence)))
        if self.vocab.confirmation.search(clause) and len(event.sources) >= 2:
            event.confirmed = True

    def _add_blame(self, event: _Event, sentence: Sentence) -> None:
        """"A blamed B", "B denied": kept with the event, so that its attribution is told
        as contested, with who says what."""
        doc = self._docs.get(sentence.start)
        if doc is None:
            return
        for accuser, accused in blames(doc):
            if (accuser, accused) not in event.blame:
                event.blame.append((accuser, accused))
        for denier in denials(doc):
            if denier not in event.denials:
                event.denials.append(denier)

    def _add_actors(self, event: _Event, sentence: Sentence, clause: str) -> None:
        if event.perpetrator is not None and event.target is not None:
            return
        mentions = self._actor_mentions(clause)
        hedged = self.vocab.attribution_hedges.search(clause)
        doc = self._docs.get(sentence.start)
        for start, end, text, actor_id in mentions:
            if _SPEAKER.match(clause, end):
                continue  # "the rebels' news agency said": who tells, not who did it
            said = _role(doc, start, end)
            if said == "speaker":
                continue  # "the army said...": who tells, not who did it
            before = clause[max(0, start - 40): start]
            if _TARGET.search(before) or (said == "object" and not _BY.search(before[-25:])):
                if event.target is None:
                    event.target = (text, actor_id)
                continue
            if hedged and hedged.start() < start:
                continue  # "it was not clear whether Russian or Syrian jets...": nobody said
            if event.perpetrator is None or (
                    (_BY.search(before[-25:]) or said == "agent")
                    and event.perpetrator[2] is not sentence):
                event.perpetrator = (text, actor_id, sentence)
                event.evidence.append(Evidence("perpetrator", _span(sentence)))

    def _actor_mentions(self, clause: str) -> list[tuple[int, int, str, str | None]]:
        """Who the clause names, as the world's catalogue of armed actors knows them (the
        same whatever the scenario); the scenario only gives each its id there, and adds
        the names only it knows. Failing both, a group described by its nouns."""
        country = self._country()
        found: list[tuple[int, int, str, str | None]] = []
        for mention in WorldActors.default().find_all(
                clause, countries=(country.iso2,) if country else ()):
            scenario_actor = self.actors.resolve_world(mention.actor) if self.actors else None
            if scenario_actor is None and self.actors is not None:
                scenario_actor = self.actors.resolve(mention.text)
            found.append((mention.start, mention.end, mention.text,
                          scenario_actor.id if scenario_actor else None))
        if self.actors is not None:
            found += [(s, e, clause[s:e], actor.id) for s, e, actor in self.actors.find_all(clause)
                      if not any(fs < e and s < fe for fs, fe, _, _ in found)]
        # "the al-Qaeda-linked JNIM": JNIM, named next, is who
        found = [f for f in found if qualifier_after(clause, f[1]) not in RELATIONS]
        if self.dateline_span:
            # "KHARTOUM (AA) -": the agency that filed it, not the Arakan Army
            begin, end = self.dateline_span
            found = [f for f in found if not begin <= self._sentence_start + f[0] < end]
        if found:
            return sorted(found)
        nouns = "|".join(re.escape(n) for n in self.vocab.perpetrator_nouns)
        generic = re.compile(rf"\b(?:(?:[A-Z][\w-]+|pro-[\w-]+)\s+){{0,2}}(?:{nouns})\b")
        for match in generic.finditer(clause):
            words = match.group(0).split()
            while len(words) > 1 and words[0] in _NOT_ACTOR_WORDS:
                words.pop(0)  # "On Monday armed groups fired": the group, not the day
            text = " ".join(words)
            if (text[0].isupper() or words[0] in ("government", "regime")
                    or self._acts(clause, match.end())):
                found.append((match.end() - len(text), match.end(), text, None))
        return found

    def _acts(self, clause: str, end: int) -> bool:
        """Is the group named just before ``end`` the subject of an attack verb?"""
        verb = self.vocab.perpetrator_verbs.match(clause, end + 1)
        if verb is None:
            after = re.match(r"\s+(?:also|then|again|reportedly|had|have|has)\s+", clause[end:])
            verb = after and self.vocab.perpetrator_verbs.match(clause, end + after.end())
        return verb is not None and clause[end:end + 1] == " "

    # --- output ------------------------------------------------------------------------------

    def _summarised(self, event: _Event, events: list[_Event]) -> bool:
        """A province-level event is a summary of the town events told in the same area.
        So is a town named like its province ("in Idlib") beside another town of it. A
        summary of one town event gives it the toll it lacks ("strikes on Idlib killed nine
        ... hit a market in Maarshourin and wounded 15")."""
        place = event.place
        assert place is not None
        if event.count or event.also_hit:
            return False
        finer = [
            other for other in events
            if other is not event and other.place is not None
            and (other.place.geo_precision == 1 or other.rank == 1)
            and other.place.admin1 == place.admin1 and other.place.name != place.name
            and (other.event_type == event.event_type or event.weak)
            # a headline dated only by the focus day may sum up an event of the day before
            and _within(other.date, None if event.date_guessed else event.date)]
        if not finer:
            return False
        if event.rank > 2 or fold(place.name) == fold(place.admin1 or ""):
            if len(finer) == 1:
                # ... unless another event of the report has a toll of that kind: the
                # summary's may be that one's.
                told = {f.kind for other in events if other is not event
                        for f, _ in other.figures}
                finer[0].figures += [(figure, said) for figure, said in event.figures
                                     if figure.kind not in told]
            return True
        if event.rank < 2:
            return False
        # A district: the headline's "kill three in Eastern Ghouta" is the sum of the town
        # events told after it; "ten died in the Zeitoun district" beside one killed at a
        # junction is an event of its own.
        kind = "killed" if _toll(event, "killed") is not None else "wounded"
        toll = _toll(event, kind)
        return toll is None or toll in ({_toll(other, kind) for other in finer}
                                        | {sum(_toll(other, kind) or 0 for other in finer)})

    def _keep(self, event: _Event) -> bool:
        """A weak trigger alone (an 'attack' with no toll, date or source) is not an event."""
        return not event.weak or bool(event.figures or event.date or event.sources)

    def _claim(self, event: _Event) -> Claim:
        killed, wounded = _figures(event, "killed"), _figures(event, "wounded")
        if event.event_type is EventType.ATTACK and (
                _only_fighters(killed + wounded)
                or (event.target is not None and not any(f.civilians for f in killed + wounded))):
            # ACLED: soldiers hit, or an armed group or force attacked, is a clash
            event.event_type = EventType.ARMED_CLASH
        date_info = event.date
        perpetrator = event.perpetrator
        evidence = _dedupe(event.evidence)
        return Claim(
            event_type=event.event_type,
            event_date=date_info.day if date_info else None,
            date_precision=date_info.precision if date_info and date_info.day else None,
            day_part=date_info.day_part if date_info else None,
            location=_as_written(event.place, event.location_text),
            location_text=event.location_text,
            perpetrator=perpetrator[0] if perpetrator else None,
            perpetrator_actor=perpetrator[1] if perpetrator else None,
            target=event.target[0] if event.target else None,
            target_actor=event.target[1] if event.target else None,
            killed=combine(killed),
            wounded=combine(wounded),
            sources=list(event.sources),
            sources_agree=True if event.confirmed else None,
            evidence=[Evidence(e.field, Span(e.span.start, e.span.end,
                                             self.text[e.span.start:e.span.end]))
                      for e in evidence],
            notes=_contested(event),
        )


_AIMED_AT = re.compile(_AIM, re.I)
_SPEAKS = re.compile(r"\s+(?:said|says|say|told|reported|added|confirmed)\b", re.I)
_WHERE_BEFORE = re.compile(r",\s*where\s+$")  # "..., struck Harasta, where three died"
_STRUCK_BEFORE = re.compile(r",?\s+(?:and|then)\s+(?:also\s+)?(?:struck|hit|shelled|bombed|"
                            r"raided|attacked|pounded|targeted)\s+(?:the\s+\w+\s+of\s+)?$",
                            re.I)
# Between a toll and the town it was counted in: "killed three civilians in ", "died at ".
_TOLL_THEN_PLACE = re.compile(
    r"[^,.;]{0,40}?\b(?:in|at|near|on|around|outside)\s+(?:the\s+)?(?:[\w-]+\s+(?:of\s+)?)?",
    re.I)
# Between a district and the city that holds it: "district in the east of", "area of".
_CONTAINER = re.compile(r"(?:(?!\s(?:and|or)\s)[\w\s]){0,20}?\s+(?:in|of)\s+"
                        r"(?:the\s+\w+\s+of\s+)?(?:the\s+)?", re.I)
# After a trigger: its agent follows ("fire from the army", "an attack by fighters").
_AGENT_NEXT = re.compile(r"\s+(?:of|from|by)\b", re.I)
_HIT_VERBS = frozenset({"struck", "strike", "strikes", "raid", "raids", "attack", "attacks",
                        "attacked", "bombed", "bombard", "bombardment"})


def _weak_rank(match: re.Match[str]) -> tuple[bool, int]:
    return match.group(0).lower() in _HIT_VERBS, match.start()


def _named_later(events: list[_Event]) -> list[_Event]:
    """"Car bombs killed 23 in a town close to Mosul" then "the car bombs at a Kokjali
    market": an event placed only near a reference point is the one event of its kind and
    day that the report names, when it names one; that one takes what it lacks."""
    merged: list[_Event] = []
    for event in events:
        if not event.unnamed:
            continue
        named = [other for other in events if other is not event and not other.unnamed
                 and other not in merged and _same_kind(other.event_type, event.event_type)
                 and _within(other.date, event.date) and _within(event.date, other.date)]
        if len(named) != 1:
            continue
        into = named[0]
        has = {figure.kind for figure, _ in into.figures}
        into.figures += [(f, s) for f, s in event.figures if f.kind not in has]
        into.sources += [source for source in event.sources if source not in into.sources]
        into.perpetrator = into.perpetrator or event.perpetrator
        into.evidence += event.evidence
        into.weak = into.weak and event.weak
        merged.append(event)
    return [event for event in events if event not in merged]


def _inherit_sources(events: list[_Event]) -> None:
    """An event the report tells without naming a source rests on the source it named for
    the event before ("..., the Observatory said. In Douma, five were killed."), or, for the
    first events, on the first source it names."""
    cited = [event for event in events if event.sources]
    if not cited:
        return
    previous = cited[0].sources
    for event in events:
        if event.sources:
            previous = event.sources
        else:
            event.sources = list(previous)


def _as_written(place: Place | None, written: str | None) -> Place | None:
    """A GeoNames place under the spelling the report gives it when that is only another
    transliteration of GeoNames' ("Poonch" for Pūnch, "Khan Younis" for Khān Yūnis): the
    name monitors and the press use."""
    if place is None or not written or written == place.name or place.geonames_id is None:
        return place  # the shipped gazetteer's names are already the press's
    ours, theirs = fold(place.name), fold(written)
    if abs(len(ours) - len(theirs)) > 3 or "'" in written or "’" in written:
        return place
    if difflib.SequenceMatcher(None, ours, theirs).ratio() < 0.6:
        return place
    return replace(place, name=written)


def _within(day: EventDate | None, period: EventDate | None) -> bool:
    """Can an event of ``day`` be one of those a summary of ``period`` ("this week") counts?"""
    if day is None or period is None or day.day is None or period.day is None:
        return True
    if period.precision is DatePrecision.WEEK:
        return 0 <= (day.day - period.day).days < 7
    if period.precision is DatePrecision.MONTH:
        return (day.day.year, day.day.month) == (period.day.year, period.day.month)
    return day.day == period.day


def _same_kind(a: EventType | None, b: EventType | None) -> bool:
    """Could two sentences tell of one event? An attack and a clash can be the same raid
    ("killed six gendarmes" ... "gunmen stormed the gendarmerie")."""
    return a == b or {a, b} == {EventType.ATTACK, EventType.ARMED_CLASH}


def _figures(event: _Event, kind: str) -> list[Figure]:
    return [f for f, _ in event.figures if f.kind == kind]


def _toll(event: _Event, kind: str) -> int | None:
    return combine(_figures(event, kind)).best


def _only_fighters(figures: list[Figure]) -> bool:
    """Were those the report counts fighters (soldiers, police, militants), no civilian
    among them ("seven soldiers were killed and 17 others injured")?"""
    return (any(f.combatants for f in figures)
            and not any(f.civilians for f in figures))


def _contested(event: _Event) -> str | None:
    """"Attribution contested: A blames B; B denies it." when the report says so: two
    sides blaming each other, or a side denying what it is blamed for."""
    if not event.blame:
        # "... by RSF fighters, residents said. The RSF denied it.": the side the report
        # lays it to denies it.
        doer = event.perpetrator[0] if event.perpetrator else None
        denier = next((d for d in event.denials if doer and _who(d) == _who(doer)), None)
        return (f"{CONTESTED_ATTRIBUTION}: laid to {doer}; {denier} denies it."
                if denier else None)
    accused = {_who(b) for _, b in event.blame}
    accusers = {_who(a) for a, _ in event.blame}
    deniers = [d for d in event.denials if _who(d) in accused]
    if not deniers and not (accused & accusers) and len(accused) < 2:
        return None
    said = "; ".join(f"{accuser} blames {target}" for accuser, target in event.blame)
    denied = "".join(f"; {denier} denies it" for denier in deniers)
    return f"{CONTESTED_ATTRIBUTION}: {said}{denied}."


def _who(name: str) -> str:
    """One key for the names of one actor: "RSF" and "the Rapid Support Forces" meet."""
    actor = WorldActors.default().by_name(name)
    return actor.id if actor is not None else fold(name)


def _role(doc: Doc | None, start: int, end: int) -> str | None:
    """How the parse says a mention stands to its verb ('agent', 'speaker', 'object')."""
    if doc is None:
        return None
    span = tokens_in(doc, start, end)
    if span is None or not len(span):
        return None
    said = role(span.root)
    verb = governing_verb(span.root)
    if said == "object" and (verb is None or verb.lower_ not in _HARM_VERBS):
        return "other"  # "following a government strike": not whom it was done to
    return said


def _first_known(dates: list[EventDate]) -> EventDate | None:
    """A day before a period ("on Monday" over "last week"), a known date before an unknown."""
    return (next((d for d in dates if d.precision is DatePrecision.DAY), None)
            or next((d for d in dates if d.day is not None), dates[0] if dates else None))


def _listed_with(primary: PlaceMention, places: list[PlaceMention],
                 clause: str) -> list[PlaceMention]:
    """Places named in one list with ``primary`` ("A, B and C"), at its level or finer."""
    index = places.index(primary)
    listed: list[PlaceMention] = []
    for step in (-1, 1):
        i = index
        while 0 <= i + step < len(places):
            a, b = (places[i], places[i + step]) if step == 1 else (places[i + step], places[i])
            between = clause[a.end:b.start]
            other = places[i + step]
            if not _LIST_GLUE.fullmatch(between) or other.rank > max(
                    2, primary.rank) or other.near != primary.near:
                break
            listed.append(other)
            i += step
    run = sorted([primary, *listed], key=lambda m: m.start)
    glue = [clause[a.end:b.start] for a, b in pairwise(run)]
    if glue and not any(re.search(r"\b(?:and|or)\b", g) for g in glue):
        # "Sitio Bugo, Barangay Buenavista, Himamaylan City": an address, finest first,
        # not a list of places hit.
        return []
    return listed


def _locates_district(mention: PlaceMention, places: list[PlaceMention], clause: str) -> bool:
    """Is ``mention`` a reference point named right after a district it locates ("the Nihm
    district east of the capital Sanaa")?"""
    return mention.near and any(
        not other.near and other.rank == 2 and 0 <= mention.start - other.end <= 40
        and re.search(r"\bof\b", clause[other.end:mention.start]) is not None
        for other in places)


def _district_of_town(mention: PlaceMention, places: list[PlaceMention], clause: str) -> bool:
    """Is ``mention`` a district named with the town that holds it ("the Ndosho district of
    Goma")?"""
    return mention.rank == 2 and any(
        other.rank == 1 and other.place.geo_precision == 1 and other.start > mention.end
        and _CONTAINER.fullmatch(clause[mention.end:other.start]) for other in places)


def _rank_among(mention: PlaceMention, places: list[PlaceMention], clause: str) -> int:
    """A town named like its province, beside another town or a district of that province,
    stands for the province ("in Idlib after an air strike on Maarat al-Numan")."""
    place = mention.place
    if _district_of_town(mention, places, clause):
        return 0  # "the Zeitoun district in the east of Gaza City": a part of the city
    if not mention.known and any(
            other.known and other.rank == 1 and other.start < mention.start
            and (other.place.lat, other.place.lon) == (place.lat, place.lon)
            for other in places):
        return 0  # "in Gaza City ... at the Shejaiya junction": a spot inside the town
    if mention.rank == 1 and place.admin1 and fold(place.name) == fold(place.admin1) and any(
            other is not mention and other.rank <= 2 and other.place.admin1 == place.admin1
            and fold(other.place.name) != fold(place.name) for other in places):
        return 3
    return mention.rank


def _contains_another(mention: PlaceMention, places: list[PlaceMention]) -> bool:
    """Is ``mention`` a city named right beside one of its own districts ("in Bab Touma
    in Damascus", "Sarouja, Damascus")? Then the district is where it happened. A town
    named in its own clause ("raided Douma ... and struck Harasta") is a place of its own."""
    return any(other.place.name != mention.place.name and other.place.geo_precision == 1
               and other.place.admin2 is not None
               and fold(other.place.admin2) == fold(mention.place.name)
               and 0 <= mention.start - other.end <= 15
               for other in places)


def _same_place(a: Place, b: Place) -> bool:
    """One place: the same name, or the same point of two towns (a spelling the gazetteer
    knows). Two names placed at one coarser point are two places."""
    return fold(a.name) == fold(b.name) or (
        a.geo_precision == b.geo_precision == 1 and a.lat == b.lat and a.lon == b.lon) or (
        a.geo_precision > 1 and b.geo_precision > 1 and _named_alike(a.name, b.name))


def _named_alike(a: str, b: str) -> bool:
    """Two spellings of one unknown place, one with a word more ("the Abu Shouk camp" and
    "Abu Shouk displacement camp"): the same first word, and every word of the shorter in
    the longer."""
    short, long = sorted(([fold(w) for w in a.split()], [fold(w) for w in b.split()]), key=len)
    return len(short) >= 2 and short[0] == long[0] and set(short) <= set(long)


def _span(sentence: Sentence) -> Span:
    return Span(sentence.start, sentence.end, sentence.text)


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, int]] = set()
    kept = []
    for item in evidence:
        key = (item.field, item.span.start)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


__all__ = ["EventReader"]
