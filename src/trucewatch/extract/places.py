"""Where a sentence says an event happened.

Three kinds of mention are told apart, as a reader of conflict news does:
- the event's place ("in X", "the village of X", a town the gazetteer knows);
- a reference point ("near Y", "N km from Y", "between A and B", "in the direction of Y"):
  the event is placed there, but only as near it (ACLED's geo precision 2);
- an origin ("from positions in Y", "fired from Y"): where fire came from, not where it hit.

A place the gazetteer does not know (a village, a market, a camp) is never a reason to
drop the event: it keeps its name as written and is placed at the most specific known
place the report gives for it (the district, province or country), with the precision
that says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from trucewatch.geo.countries import (
    country_by_demonym,
    country_by_iso2,
    country_mentions,
    find_country,
)
from trucewatch.geo.gazetteer import REGIONAL_WORD, Gazetteer, fold
from trucewatch.model import Place
from trucewatch.world_actors import WorldActors

if TYPE_CHECKING:
    from spacy.tokens import Doc

# "the Damascus police command": who speaks, not where it happened.
# Armed groups whose home country is the news's country (not foreign forces abroad).
_HOME_KINDS = frozenset({"state-paramilitary", "non-state"})
_INSTITUTION = re.compile(
    r"\s+(?:police|security|health|media|governorate\s+council|city\s+council|"
    r"directorate|command|authorities|officials?|governor|university|sources?|"
    r"correspondent|bureau|office|airport\s+authority)\b", re.I)
# Before a mention: it is only a reference point.
_NEAR = re.compile(
    r"(?:\b(?:near|outside|nearby|close\s+to|next\s+to|around|towards?|on\s+the\s+(?:outskirts|"
    r"edge|road|highway)\s+(?:of|to)|outskirts\s+of|(?:direction|vicinity)\s+of|between|"
    # "east of X" is outside X; "in the east of X" is inside it.
    r"(?<!\bthe\s)(?:north|south|east|west)(?:[- ]?(?:north|south|east|west))?(?:ern)?\s+of|"
    r"\d+(?:\.\d+)?\s*(?:km|kilometres|kilometers|miles|mi)\s+(?:\w+\s+){0,2}(?:of|from)"
    r"|road\s+(?:to|from)|from)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|area|district)\s+of\s+|(?:provincial\s+)?capital\s+)?)$",
    re.I)
# Before a mention: where the wounded were taken, not where they were hurt ("taken to the
# hospital run by MSF in Mocha").
_CARRIED = r"taken|rushed|transported|evacuated|brought|transferred|admitted|airlifted"
_TREATED_AT = re.compile(
    rf"\b(?:{_CARRIED}|moved|treated)"
    r"\s+(?:to|into|at|in)\s+(?:[\w'’-]+\s+){0,6}?(?:hospitals?|clinics?|morgue|"
    r"medical\s+(?:centre|center|complex)|health\s+(?:centre|center))\s+"
    r"(?:(?:run|operated|supported)\s+by\s+[^,.;]{1,50}?\s+)?(?:in|at)\s+(?:the\s+)?$",
    re.I)
# Before a mention: where someone was taken ("transferred to the Republican Hospital",
# "rushed to Kabul"), not where it happened.
_TAKEN_TO = re.compile(
    rf"\b(?:{_CARRIED}|flown)\s+(?:\w+\s+)?(?:to|into)\s+(?:the\s+|a\s+)?$", re.I)
# The names listed before a mention ("in Jolo and ", "the Tartar, Aghdam, "): what is said
# of the first name of a list is said of all.
_LISTED_BEFORE = re.compile(
    r"(?:(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)*(?:,\s*|\s+and\s+|,\s+and\s+))+$")
# After a country's name: the state acting, often beyond its borders.
_STATE_ACTS = re.compile(
    r"['’]?s?\s+(?:\w+\s+)?(?:resorted|fired|shelled|launched|attacked|struck|violated|"
    r"initiated|opened|targeted|bombed|hit|pounded|breaks|broke|violates)\b", re.I)
# Before a mention: where fire came from, not where it hit.
_ORIGIN = re.compile(
    r"\b(?:from|launched\s+from|fired\s+from)\s+(?:(?:their|its|the|enemy|\w+-(?:held|"
    r"controlled))\s+)?(?:positions?|areas?|territory|territories|side|bases?|launchers?|heights|"
    r"hills|posts|trenches|villages)?"
    r"\s*(?:in|of|at|near|around)?\s*(?:the\s+)?$", re.I)
_ORIGIN_VERB = re.compile(r"\b(?:fired|launched|shot|shelled|attacked)\b[^.;]{0,160}$", re.I)
_STATIONED = re.compile(r"\b(?:positioned|stationed|deployed|based|entrenched|dug\s+in)\s+"
                        r"(?:in|at|near|around|on)\b", re.I)
_FIRE_VERB = re.compile(r"\b(?:opened\s+fire|fired|shelled|launched|attacked|targeted)\b", re.I)
# "A and B": after a mention "between A", B is a reference too.
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?:\w+\s+){0,3}?$", re.I)
# A capitalised name the report introduces as a place.
# Kinds of facility news names a place by: "the Al Safiya market", "Zamzam camp".
_FACILITIES = (r"market|camp|hospital|school|mosque|church|checkpoint|bridge|junction|"
               r"roundabout|square|base|airport|port|crossing|prison|university|clinic|"
               r"health\s+centre|health\s+center|police\s+station|police\s+post|post|outpost")
_KINDS = (r"town|city|village|villages|hamlet|camp|district|neighbou?rhood|suburb|area|"
          r"locality|settlement|market|commune|region|province|county|municipality|state|"
          r"department|sector|zone|community|kebele|woreda|payam|boma|township|oblast|raion|"
          r"governorate|tehsil|prefecture|circle|cercle|port|capital|outskirts|suburbs|"
          r"vicinity|edge")
_NAME_BODY = (r"(?:(?:al|el|an|as|ash|ad|ar|at|az|Al|El)[-\s])?[A-Z][\w'’.-]*[\w]"
              r"(?:[\s-](?:(?:al|el|de|du|la|di|bin|ibn|wa)[\s-]|(?:ad|as|ash|an|ar)-)?"
              r"[A-Z][\w'’-]*[\w]){0,3}")
_NAME = rf"(?P<name>{_NAME_BODY})"
# A capitalised name the report introduces as a place: "in X", "the village of X", "the
# small town of X".
_NAMED = re.compile(
    rf"(?:\b(?P<prep>[Ii]n|[Aa]t|[Nn]ear|[Cc]lose\s+to|[Bb]etween|[Oo]utside|on|into|of|from|"
    rf"[Aa]round|hit|"
    rf"hits|struck|"
    rf"strikes|shelled|shells|bombed|bombs|attacked|attacks|targeted|targets|raided|stormed|"
    # "in the disputed Shebaa Farms area", "in the restive Kurram district"
    rf"besieged|overran|captured|seized|pounded)\s+"
    rf"(?:the\s+(?:(?!(?:of|and|past|same|next|last|first|early|late)\b)[a-z]+(?:-[a-z]+)?\s+)?)?"
    rf"(?:{REGIONAL_WORD}\s+)?"
    rf"(?P<kind>(?:(?i:{_KINDS})\s+of\s+)?)"
    # "the Circle of Bankass", as some outlets capitalise the unit
    rf"|\b(?:the|a)\s+(?:[a-z]+\s+){{0,2}}(?P<kind2>(?i:{_KINDS})\s+of\s+)"
    rf"|\b(?P<kind3>the)\s+(?={_NAME_BODY}\s+(?i:{_FACILITIES})\b"
    # "the Dadiwala and Pezo police stations": a list of facilities of one kind
    rf"|{_NAME_BODY}(?:\s*,\s*{_NAME_BODY})*\s+and\s+{_NAME_BODY}\s+(?i:{_FACILITIES})s\b)"
    rf"|\b(?P<kind4>(?:{_KINDS})s?\s+of\s+)"
    # "Azerbaijan's second city Ganja": a kind of place, then its name (kept only when the
    # gazetteer knows the name: "the city Council" is no place).
    rf"|\b(?P<kind5>(?:city|town|village)\s+)(?=[A-Z])){_NAME}")
# Between two places of one list ("the outskirts of A, B and C": all three are near).
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
# A name that continues a list of places: ", Goniri", " and Mainok".
_LISTED = re.compile(rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){_NAME}")
# "an air strike on X", "attacks on X": "on" introduces the place hit.
_ATTACK_BEFORE = re.compile(r"\b(?:strikes?|attacks?|raids?|assaults?|offensive|shelling|"
                            r"bombing|bombardment|ambush|rockets?|missiles?|drones?)\s*$", re.I)
# After an unknown name: an administrative unit, coarser than a village ("Jimma zone").
_UNIT = re.compile(
    r"\s+(?:(?P<district>district|county|woreda|payam|locality|commune|department|circle|"
    r"cercle|tehsil|raion|municipality|sub-county|territory|LGA|local\s+government\s+area|"
    r"division|subdivision|sub-division|upazila)"
    r"|(?P<region>(?:region|state|province|zone|oblast|governorate|prefecture)s?))\b", re.I)
# A name the model took with its unit word ("Bungudu Local Government Area").
_UNIT_ENDING = re.compile(_UNIT.pattern + r"$", re.I)
_SETTLEMENT_AFTER = re.compile(r"\s+(?:village|town|city|camp|neighbou?rhood|suburb)\b", re.I)
# After the first names of a list, the unit word all of them share ("the Donetsk and Luhansk
# regions", "Kherson, Zaporizhzhia and Mykolaiv oblasts").
_LISTED_UNITS = re.compile(
    r"(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)+\s+"
    r"(?:(?P<district>districts|counties|municipalities|raions|territories)"
    r"|(?P<region>regions|states|provinces|oblasts|governorates|prefectures))\b", re.I)
# After a name: whose, not where ("in Ahmed's house", "Gaza's health ministry").
_POSSESSIVE = re.compile(r"['’]s\b")
# Before a name: the country it is in ("South Sudan's Jonglei", "Burkina's north").
_POSSESSOR = re.compile(r"^(?P<owner>[A-Z][\w ]{1,30}?)['’]s\s+")
# Before a mention: where an agreement was made or talks held ("agreed by the Contact Group
# in Minsk on July 22", "the signing of the agreement in Doha"), not where fighting was.
_DIPLOMACY = re.compile(
    r"\b(?:agreed|signed|signing|talks|negotiations?|negotiated|agreements?|accords?|summit|"
    r"conference|mediated|brokered|hosted|met|meeting)\b[^.;:,]{0,70}?\b(?:in|at)\s+(?:the\s+)?$",
    re.I)
# After a mention: an agreement named after a city ("the Minsk agreements", "Doha deal").
_ACCORD = re.compile(r"\s+(?:agreements?|accords?|talks|deal|protocol|process|format|"
                     r"memorandum|declaration|peace\s+(?:talks|process|deal|agreement))\b", re.I)
# Before a mention: where somebody spoke, not where it happened ("told reporters in Nairobi").
_SPOKEN = re.compile(
    r"\b(?:said|says|told(?:\s+\w+){0,2}|spoke|speaking|announced|reporters|journalists|"
    r"(?:news|press)\s+conference|statement|briefing|interview|based|headquartered)"
    r"\s+(?:on\s+\w+\s+)?(?:in|from)\s+(?:the\s+)?$"
    # "MSF's emergency coordinator in Bunia": where someone speaks from
    r"|\b(?:coordinator|spokes(?:man|woman|person)|correspondent|representative|envoy|"
    r"director|reporter)\s+(?:based\s+)?in\s+(?:the\s+)?$", re.I)

# A facility or small place named by its kind: "Togoga market", "Zamzam camp".
_FACILITY = re.compile(
    rf"\s+(?:{_FACILITIES}|neighbou?rhood|village|town|road|highway|refugee\s+camp|"
    r"IDP\s+camp|displacement\s+camp)s?\b", re.I)
# Capitalised words that follow "in"/"on"/"of" and are not places.
_NOT_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "the", "a", "an", "he", "she", "they", "it", "his",
    "her", "their", "its", "this", "that", "these", "those", "we", "i", "our", "there",
    "according", "but", "and", "however", "meanwhile", "later", "earlier", "since",
    "after", "before", "during", "while", "when", "following", "at", "in", "on", "local",
    "state", "government", "police", "army", "security", "ministry", "president",
    "prime", "minister", "general", "colonel", "captain", "major", "twitter", "telegram",
    "facebook", "x", "islam", "allah", "god", "ramadan", "eid", "christmas", "easter",
    "parliament", "congress", "senate", "council", "court", "assembly", "republic",
    "kingdom", "union", "nations", "forces", "party", "front", "movement", "group",
    "brigade", "brigades", "battalion", "division", "regiment", "corps", "agency",
})
_ORG_WORDS = re.compile(
    r"\b(?:Forces|Force|Army|Party|Front|Movement|Group|Brigades?|Battalion|Division|"
    r"Regiment|Corps|Agency|Ministry|Council|Committee|Organi[sz]ation|Observatory|"
    r"Network|Command|Guard|Police|Militia|Alliance|Coalition|Union|Office|News|Times|"
    r"Post|Press|Radio|Television|TV|Mission|Commission|Court|University|Institute|"
    r"Centre|Center|Foundation|Society|Crescent|Cross|Nations|Bank|Fund)\b")
# Adjectives of peoples and faiths that open a phrase but never a place's name.
_PEOPLES = frozenset({
    "shiite", "shia", "sunni", "christian", "muslim", "jewish", "druze", "alawite",
    "kurdish", "arab", "anglophone", "francophone", "tuareg", "fulani", "oromo",
    "tigrayan", "hutu", "tutsi", "rohingya", "hazara", "pashtun", "baloch", "yazidi",
    "islamist", "jihadist", "government", "rebel", "opposition", "militia",
})
_SPACY_PLACES = ("GPE", "LOC", "FAC")
# After a name: the name is used as an adjective of people or acts.
_ATTRIBUTIVE = re.compile(
    r"\s+(?:(?:air|drone|missile|rocket|artillery)\s+)?(?:attacks?|strikes?|raids?|shelling|"
    r"bombing|bombardment|offensive|assault|fighters?|forces|troops|soldiers|rebels|militants|"
    r"militias?|gunmen|jets|warplanes|aircraft|drones|positions|officials?|authorities|"
    r"government|army|military|police|spokes\w+|sources?|media|group|movement|clan|tribe|"
    r"family|militiamen)\b"
    # "near the Line of Control", "along the Line of Contact": a front line, not a town.
    r"|\s+of\s+(?:Control|Contact)\b", re.I)
# The small model often calls an unfamiliar village a PERSON; after "in" it rarely is one.
_SPACY_NOT_PLACES = ("NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY",
                     "PERCENT", "QUANTITY", "EVENT", "LAW", "LANGUAGE", "WORK_OF_ART",
                     "PRODUCT")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int  # offsets in the clause
    end: int
    written: str  # the name as the report writes it
    place: Place
    near: bool = False  # a reference point: the event is near it, not in it
    known: bool = True  # False: a name the gazetteer does not know, placed at a coarser one
    # How specific the report says the place is (1 a town or village, 2 a district, 3 a
    # province), whether or not the gazetteer knows it: which of a sentence's places the
    # event is at.
    rank: int = 1
    # "hit Al-Rawda, a residential neighbourhood": a part of the town told before, placed
    # at that town.
    quarter: bool = False


class PlaceReader:
    """Finds the places of one report's sentences, keeping what the report has said so far:
    its country and the provinces it has named (which decide between same-named towns and
    where an unknown village lies)."""

    def __init__(self, gazetteer: Gazetteer, *, country: str | None = None,
                 excluded: tuple[int, int] | None = None) -> None:
        self.gazetteer = gazetteer
        self.country = country
        self.admin1s: list[str] = []
        self.last_known: Place | None = None
        # Names the report has introduced as places, found again wherever they stand ("In
        # the village of Mondomo ..." then "Mondomo had been hit before").
        self._introduced: dict[str, PlaceMention] = {}
        self._introduced_pattern: re.Pattern[str] | None = None
        self._excluded = excluded  # the dateline: the reporter's city, not an event place

    # --- the report's country ----------------------------------------------------------

    def report_country(self, text: str, dateline_place: str | None) -> str | None:
        """The country a report is about, from its dateline and opening paragraphs: places
        the gazetteer knows and country names count fully, a demonym half ("Russian jets"
        over Idlib are not news from Russia)."""
        head = text[:2500]
        votes: dict[str, float] = {}

        def vote(country: str | None, weight: float) -> None:
            if country:
                votes[country] = votes.get(country, 0.0) + weight

        if dateline_place:
            named = find_country(dateline_place)
            vote(named.name if named else None, 3)
            if named is None:
                place = self.gazetteer.resolve(dateline_place)
                vote(place.country if place else None, 2)
        actors = WorldActors.default().find_all(head)
        # "Russian drones", "Israeli jets": the state that attacked, often abroad.
        attackers = [(m.start, m.end) for m in actors if m.actor.kind == "state"]
        for start, end, country, kind in country_mentions(head):
            if (kind == "demonym" and any(s <= start < e for s, e in attackers)) or (
                    kind == "name" and _STATE_ACTS.match(head, end)):
                weight = 0.25  # "Pakistan resorted to firing": the side that fired
            else:
                weight = 0.5 if kind == "demonym" else 1.0
            vote(country.name, weight * (1.5 if start < 400 else 1))
        counted: set[int] = set()
        for start, _end, place in self.gazetteer.find_mentions(head):
            if not _is_country(place):
                vote(place.country, 1.0)
                counted.add(start)
        # A province named in any country ("in Beni territory, North Kivu"), when no other
        # country has a place of that name (Beni is a town in Congo and a Bolivian province).
        names = [m for named in _NAMED.finditer(head) for m in _names_listed(head, named)]
        for start, name in names:
            if start in counted:
                continue
            candidates = self.gazetteer.find(name)
            countries = {p.country for p in candidates}
            if len(countries) == 1 and any(p.geo_precision == 3 and p.admin1
                                           and not _is_country(p) for p in candidates):
                vote(countries.pop(), 1.0)
        # A named armed group at home says where the news is from ("the Rapid Support
        # Forces shelled Abu Shouk"): once per group, as a place would. State forces are
        # left out, as they are named by demonyms already counted above.
        seen: set[str] = set()
        for mention in actors:
            actor = mention.actor
            if actor.id in seen or actor.kind not in _HOME_KINDS or not actor.country:
                continue
            seen.add(actor.id)
            home = country_by_iso2(actor.country)
            vote(home.name if home else None, 1.0)
        if max(votes.values(), default=0.0) < 1.0:
            # Nothing but an attacker's demonym ("Russian drones hit the city of Kherson"):
            # the towns the opening introduces, wherever GeoNames has them.
            for start, name in names:
                found = None if start in counted else self.gazetteer.resolve(name)
                if found is not None and not _is_country(found):
                    vote(found.country, 1.0)
        if not votes:
            return None
        # Towns GeoNames knows are only looked up within a country: count, for each country
        # in the running, the places the opening introduces there ("in the southeastern
        # city of Zaporizhzhia" outweighs "Russia fired six missiles").
        ranked = sorted(votes, key=votes.__getitem__, reverse=True)
        close = len(ranked) > 1 and votes[ranked[0]] - votes[ranked[1]] < 3
        for candidate in ranked[:2] if close else ():  # only a close race needs it
            for start, _end, place in self.gazetteer.find_mentions(head, country=candidate):
                if start not in counted and place.country == candidate and not _is_country(place):
                    vote(candidate, 1.0)
        return max(votes.items(), key=lambda item: item[1])[0]

    # --- one clause ---------------------------------------------------------------------

    def find(self, clause: str, offset: int, doc: Doc | None = None, *,
             remember: bool = True) -> list[PlaceMention]:
        """The event places of a clause (reference points marked ``near``; origins,
        institutions and countries left out), in order of appearance."""
        mentions: list[PlaceMention] = []
        # A place inside an armed group's name is the group ("Donetsk People's Republic",
        # "Kachin Independence Army"), not where it happened.
        taken: list[tuple[int, int]] = [(m.start, m.end) for m in
                                        WorldActors.default().find_all(clause)
                                        if m.actor.kind != "state"]
        named = self._named(clause, doc)
        for start, end, place in self.gazetteer.find_mentions(
                clause, country=self.country, context=self.admin1s):
            if any(s <= start and end <= e for s, e in taken):
                continue
            if any(s < start and end <= e and _leads_name(clause[s:start]) for s, e in named):
                continue  # "in Gida Ayana district": not the town of Ayana
            taken.append((start, end))
            if self._skipped(clause, start, end, offset):
                continue
            if _is_country(place):
                self.country = self.country or place.country
                continue
            self.country = self.country or place.country
            place, rank = self._as_unit(clause, start, end, place)
            mentions.append(PlaceMention(start, end, clause[start:end], place, rank=rank))
        for start, end in named:
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            if (unit_end := _UNIT_ENDING.search(clause, start, end)) is not None:
                end = unit_end.start()  # "Bungudu Local Government Area": the unit follows
            name = clause[start:end]
            if self._skipped(clause, start, end, offset) or find_country(name) is not None:
                continue
            found = self.gazetteer.resolve(name, country=self.country, context=self.admin1s)
            if found is not None and not _is_country(found):
                found, rank = self._as_unit(clause, start, end, found)
                mentions.append(PlaceMention(start, end, name, found, rank=rank))
            elif found is None:
                if name.isupper():
                    continue  # "JCCC", "CTSAMVM": an unknown acronym names a body, not a place
                unit = _UNIT.match(clause, end)
                rank = 1 if unit is None else 2 if unit.group("district") else 3
                placed = self._placed(name, mentions)
                mentions.append(PlaceMention(
                    start, end, name,
                    replace(placed, geo_precision=max(rank, placed.geo_precision)),
                    known=False, rank=rank))
        mentions += self._found_again(clause, offset, taken)
        mentions.sort(key=lambda m: m.start)
        mentions = self._in_stated_province(clause, mentions)
        mentions = [self._apposed_unit(clause, _regional(clause, m)) for m in mentions]
        mentions = self._quarters(clause, mentions)
        mentions = self._references(clause, mentions)
        for mention in mentions if remember else ():
            if mention.known:
                self._remember(mention.place)
            if not mention.near and mention.written[:1].isupper():
                self._introduce(mention)
        return mentions

    def _introduce(self, mention: PlaceMention) -> None:
        if mention.written not in self._introduced:
            self._introduced[mention.written] = replace(mention, start=0, end=0)
            names = sorted(self._introduced, key=len, reverse=True)
            self._introduced_pattern = re.compile(
                rf"(?<![\w-])(?:{'|'.join(map(re.escape, names))})(?![\w-])")

    def _found_again(self, clause: str, offset: int,
                     taken: list[tuple[int, int]]) -> list[PlaceMention]:
        """Names introduced earlier in the report, wherever this clause names them."""
        if self._introduced_pattern is None:
            return []
        found = []
        for match in self._introduced_pattern.finditer(clause):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken) or self._skipped(
                    clause, start, end, offset) or _POSSESSIVE.match(clause, end):
                continue  # "Gaza's health ministry": whose, not where
            taken.append((start, end))
            found.append(replace(self._introduced[match.group(0)], start=start, end=end))
        return found

    def _apposed_unit(self, clause: str, mention: PlaceMention) -> PlaceMention:
        """"Mopti, a region of central Mali": the name is the unit the apposition says,
        not the town of that name."""
        unit = _UNIT_APPOSED.match(clause, mention.end)
        if unit is None or mention.place.geo_precision > 1:
            return mention
        place, rank = self._as_unit(clause, mention.start, mention.end, mention.place,
                                    unit=_UNIT.match(" " + unit.group("unit")))
        return replace(mention, place=place, rank=rank)

    def _as_unit(self, clause: str, start: int, end: int, place: Place, *,
                 unit: re.Match[str] | None = None) -> tuple[Place, int]:
        """A town's name followed by a unit word is the unit ("Jimma zone", "Sagaing
        Region", "Kapoeta county"): the province itself when the gazetteer has it, else the
        area around the town, at the precision of a district or a province."""
        unit = unit or _UNIT.match(clause, end) or _LISTED_UNITS.match(clause, end)
        if unit is None or place.geo_precision > 1:
            return place, place.geo_precision
        if unit.group("district"):
            return replace(place, geo_precision=2), 2
        province = next((found for name in (clause[start:end], place.name)
                         if place.country and (found := self.gazetteer.admin1_place(
                             place.country, name)) is not None), None)
        return (province or replace(place, geo_precision=3)), 3

    def _skipped(self, clause: str, start: int, end: int, offset: int) -> bool:
        if self._excluded and self._excluded[0] <= offset + start < self._excluded[1]:
            return True
        if _WORLD_REGION.fullmatch(clause, start, end):
            return True  # "Europe", "the Middle East": never the place of an event
        if _INSTITUTION.match(clause, end) or _ACCORD.match(clause, end):
            return True
        listed = _LISTED_BEFORE.search(clause, max(0, start - 80), start)
        start = listed.start() if listed else start
        before = clause[max(0, start - 60): start]
        if _SPOKEN.search(before) or _DIPLOMACY.search(clause[max(0, start - 90): start]):
            return True
        if _TREATED_AT.search(clause[max(0, start - 140): start]) or _TAKEN_TO.search(before):
            return True
        if _ORIGIN.search(before) and _ORIGIN_VERB.search(clause[:start]):
            return True
        # "troops positioned in the villages of A and B in the C region opened fire on ...":
        # every place between where they stand and the verb of firing is an origin
        stationed = next(reversed(list(_STATIONED.finditer(clause, max(0, start - 200), start))),
                         None)
        return (stationed is not None and not _FIRE_VERB.search(clause, stationed.end(), start)
                and _FIRE_VERB.search(clause, end) is not None)

    def _named(self, clause: str, doc: Doc | None) -> list[tuple[int, int]]:
        """Spans of names the clause introduces as places: the model's place entities and
        capitalised names after a locative word ("in X", "the village of X")."""
        spans: list[tuple[int, int]] = []
        not_places: list[tuple[int, int]] = []
        if doc is not None:
            for ent in doc.ents:
                if ent.label_ in _SPACY_PLACES:
                    spans.append(_trim(clause, ent.start_char, ent.end_char))
                elif ent.label_ in _SPACY_NOT_PLACES:
                    not_places.append((ent.start_char, ent.end_char))
        for match in _NAMED.finditer(clause):
            start, end = match.span("name")
            name = match.group("name")
            words = name.split()
            # "in Gao on Monday": stop the name at a word that cannot be part of it.
            while words and words[-1].lower().strip(".") in _NOT_NAMES:
                words.pop()
            if not words or words[0].lower() in _NOT_NAMES:
                continue
            end = start + len(" ".join(words))
            head = words[0].split("-")[0]
            if "-" in words[0] and (country_by_demonym(head) or find_country(head)):
                continue  # "a French-speaking town", "Syrian-held villages": a description
            # "the village Kymata" is a place even unknown; "the city Council" is none.
            if match.group("kind5") and not match.group("kind5").lower().startswith(
                    "village") and self.gazetteer.resolve(
                    " ".join(words), country=self.country) is None:
                continue
            introduced = bool(match.group("kind") or match.group("kind2")
                              or match.group("kind3") or match.group("kind4")
                              or match.group("kind5"))
            if not introduced and any(s <= start < e for s, e in not_places):
                continue  # "in Houthi attacks": a people, says the model
            if _POSSESSIVE.match(clause, end):
                continue  # "in Ahmed's house": a person's
            if _ATTRIBUTIVE.match(clause, end):
                continue  # "in Houthi attacks", "in Israeli strikes": whose, not where
            prep = (match.group("prep") or "").lower()
            if prep in ("of", "from") and not introduced and not (
                    _SETTLEMENT_AFTER.match(clause, end) or _UNIT.match(clause, end)):
                continue  # "of Defence", "from Reuters": rarely a place; "from X village" is
            if prep == "between" and not introduced and not self._is_town(" ".join(words)):
                continue  # "clashes between Oromo and Amhara": peoples, or regions
            if prep == "on" and not introduced and not _ATTACK_BEFORE.search(
                    clause[max(0, match.start() - 30): match.start()]):
                continue  # "on Twitter"; but "an air strike on Lashio" is a place
            spans.append((start, end))
            # "at Delwa, Goniri, Kukawa and Mainok": the names listed after the first.
            at = end
            while listed := _LISTED.match(clause, at):
                name_start, name_end = listed.span("name")
                words = listed.group("name").split()
                while words and words[-1].lower().strip(".") in _NOT_NAMES:
                    words.pop()
                name_end = name_start + len(" ".join(words)) if words else name_start
                if not words or words[0].lower() in _NOT_NAMES or (
                        _ATTRIBUTIVE.match(clause, name_end)
                        and not _FACILITY.match(clause, name_end)) or _PERSON_APPOSED.match(
                        clause, name_end):
                    # "..., Pezo police said"; but "the Pezo police stations"; "In Zabul,
                    # Sahib Jan, police chief of ...": a person
                    break
                spans.append((name_start, name_start + len(" ".join(words))))
                at = name_end
        kept: list[tuple[int, int]] = []
        for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
            owner = _POSSESSOR.match(clause[start:end])
            if owner and (find_country(owner.group("owner")) is not None
                          or self.gazetteer.resolve(owner.group("owner"),
                                                    country=self.country) is not None):
                start += owner.end()  # "South Sudan's Jonglei", "Zamfara's Gusau"
            name = clause[start:end]
            if start >= end or any(s <= start < e for s, e in kept) or not _plausible_name(name):
                continue
            facility = _FACILITY.match(clause, end)
            if facility and re.match(r"\s+of\s+[A-Z]", clause[facility.end():]):
                continue  # "the Red Sea port of Hodeidah": the name is the one after "of"
            generic = facility and re.fullmatch(r"\s+(?:town|village|neighbou?rhood|district|"
                                                r"city|area)", facility.group(0), re.I)
            if generic and self.gazetteer.resolve(name, country=self.country) is not None:
                facility = None  # "a Goma neighbourhood", "an Amhara town": somewhere in it
            if facility and not _ORG_WORDS.search(name):
                end = facility.end()  # "Togoga market": the facility is the place
            kept.append((start, end))
        return kept

    def _is_town(self, name: str) -> bool:
        found = self.gazetteer.resolve(name, country=self.country, context=self.admin1s)
        return found is not None and found.geo_precision == 1

    def _references(self, clause: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Mark reference points: "near Y", "N km from Y"; "between A and B" keeps A as
        near and drops B."""
        kept: list[PlaceMention] = []
        between = False
        for mention in mentions:
            before = clause[max(0, mention.start - 60): mention.start]
            if between and re.search(r"\band\s+(?:the\s+)?$", before):
                between = False
                continue
            between = bool(_BETWEEN.search(before))
            listed = bool(kept) and kept[-1].near and bool(
                _LIST_JOIN.fullmatch(clause[kept[-1].end:mention.start]))
            if listed or (_NEAR.search(before)
                          and not re.search(r"\bfrom\s+(?:the\s+)?$", before)):
                mention = replace(mention, near=True, place=replace(
                    mention.place, geo_precision=max(2, mention.place.geo_precision)))
            kept.append(mention)
        # "a village near Goma", "the Abu Shouk camp for displaced people in El Fasher": the
        # unknown village or camp is the place, placed at the town.
        result: list[PlaceMention] = []
        for mention in kept:
            last = result[-1] if result else None
            if last is not None and not mention.near and _IN_AREA.fullmatch(
                    clause[last.end:mention.start]) and (
                    mention.rank > last.rank or _AREA_AFTER.match(clause, mention.end)):
                continue  # "close to Gudumbali, in the Lake Chad area": where that lies
            if last is None or last.known or last.near or mention.start - last.end >= 50:
                result.append(mention)
            elif mention.near or (
                    mention.known and mention.place.geo_precision == 1
                    and _WITHIN.fullmatch(clause[last.end:mention.start])):
                result[-1] = replace(last, place=_at(last.written, mention.place, 2))
            else:
                result.append(mention)
        return result

    def _placed(self, name: str, so_far: Sequence[PlaceMention]) -> Place:
        """An unknown name, placed at the most specific known place the report gives."""
        coarser = next((m.place for m in reversed(so_far) if m.known), None)
        if coarser is not None:
            return _at(name, coarser, 2 if coarser.geo_precision < 3 else 3)
        if self.last_known is not None:
            return _at(name, self.last_known, 3)  # somewhere in the province named before
        country = find_country(self.country) if self.country else None
        if country is not None:
            return Place(name=name, lat=country.lat, lon=country.lon, country=country.name,
                         geo_precision=3)
        return Place(name=name, country=self.country, geo_precision=3)

    def _in_stated_province(self, clause: str,
                            mentions: list[PlaceMention]) -> list[PlaceMention]:
        """"Pervomaisk, Luhansk region": the town of that name in the province the report
        states; failing one, a village the gazetteer does not know, in that province."""
        out = list(mentions)
        for k in range(len(out) - 1):
            town, province = out[k], out[k + 1]
            stated = province.place.admin1
            if not (town.known and town.place.geo_precision == 1 and province.known
                    and province.place.geo_precision == 3 and stated
                    and town.place.country == province.place.country
                    and town.place.admin1 != stated
                    and re.fullmatch(r"\s*,\s*", clause[town.end:province.start])):
                continue
            there = next((p for p in self.gazetteer.find(town.written, country=self.country,
                                                         context=[stated])
                          if p.admin1 == stated), None)
            out[k] = (replace(town, place=there) if there is not None else
                      replace(town, place=_at(town.written, province.place, 3), known=False))
        return out

    def _quarters(self, clause: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """"Al-Rawda, a residential neighbourhood": whatever town the gazetteer finds by that
        name elsewhere, the place is a part of the town the report is telling of."""
        town = self.last_known
        if town is None or town.geo_precision != 1 or any(
                m.place.geo_precision == 1 and m.known and not _QUARTER.match(clause, m.end)
                for m in mentions):
            return mentions
        return [replace(m, place=_at(m.written, town, 2), known=False, quarter=True)
                if _QUARTER.match(clause, m.end) else m for m in mentions]

    def _remember(self, place: Place) -> None:
        self.last_known = place
        if place.admin1 and place.admin1 not in self.admin1s:
            self.admin1s.append(place.admin1)


_REGIONAL = re.compile(r"\b(?:northern|southern|eastern|western|central|north-?eastern|"
                       r"north-?western|south-?eastern|south-?western|rural|greater)\s+$"
                       # "in the eastern countryside of Idlib": the province around the city
                       r"|\bcountryside\s+of\s+$", re.I)


def _apposition(nouns: str, tail: str = "", *, article: str = r"(?:a|an|the)\s+",
                words: int = 2) -> re.Pattern[str]:
    """After a name, ", a <a few words> <noun>": what the name is."""
    return re.compile(rf"\s*,\s*{article}(?:[\w-]+\s+){{0,{words}}}?(?:{nouns})\b{tail}", re.I)


# "Al-Rawda, a residential neighbourhood": a part of a town (not "..., a neighbourhood of X",
# which names the town).
_QUARTER = _apposition(r"neighbou?rhood|quarter|suburb|district", r"(?!\s+(?:of|in)\b)",
                       article=r"(?:a|an)\s+")
# "Sahib Jan, police chief of ...": a person.
_PERSON_APPOSED = _apposition(
    r"chief|commander|head|spokes(?:man|woman|person)|governor|mayor|official|minister|leader|"
    r"director|officer|resident|farmer|teacher|father|mother|son|daughter|brother|wife|husband",
    article=r"(?:(?:a|an|the)\s+)?", words=3)
# "Mopti, a region of central Mali": the unit it is.
_UNIT_APPOSED = _apposition(
    r"(?P<unit>region|province|state|governorate|oblast|district|county|prefecture)")
# Continents and the world's regions: GeoNames has towns called "Africa" and "Middle East".
_WORLD_REGION = re.compile(
    r"(?:(?:North|South|East|West|Central|Southern|Northern|Eastern|Western|Sub-Saharan|"
    r"Southeast|South-East|Latin)\s+)?(?:Europe|Africa|Asia|America|Americas|Eurasia|Oceania|"
    r"Antarctica)|(?:the\s+)?(?:Middle\s+East|Near\s+East|Far\s+East|Horn\s+of\s+Africa|"
    r"Balkans|Caucasus|Levant|Maghreb|Arab\s+world|Gulf\s+region)", re.I)
# Between a place and the wider area it lies in ("Gudumbali, in the Lake Chad area").
_IN_AREA = re.compile(r"\s*,\s*in\s+(?:the\s+)?", re.I)
_AREA_AFTER = re.compile(r"\s+(?:area|region|basin|valley|province|state)\b", re.I)
# Between an unknown place and the town that holds it: " in ", " for displaced people in ".
_WITHIN = re.compile(r"(?:\s+(?:for|of)\s+(?:[\w'-]+\s+){0,3}?)?\s*,?\s*(?:in|inside|within)\s+"
                     r"(?:the\s+)?(?:(?:town|city)\s+of\s+)?", re.I)


def _regional(clause: str, mention: PlaceMention) -> PlaceMention:
    """"southern Idlib", "rural Damascus": a part of a province, not the town ("central
    Gaza City" is the town's centre)."""
    regional = _REGIONAL.search(clause[max(0, mention.start - 16): mention.start])
    if not regional or (regional.group(0).lower().startswith("central")
                        and mention.place.geo_precision == 1):
        return mention
    return replace(mention, rank=3, place=replace(
        mention.place, geo_precision=max(3, mention.place.geo_precision)))


def _at(name: str, where: Place, precision: int) -> Place:
    """``name`` as written, at the coordinates and in the province of ``where``."""
    return Place(name=name, lat=where.lat, lon=where.lon, admin1=where.admin1,
                 admin2=where.admin2, country=where.country,
                 geo_precision=max(precision, where.geo_precision))


def _is_country(place: Place) -> bool:
    return place.admin1 is None and place.geo_precision >= 3 and (
        place.country is None or fold(place.name) == fold(place.country)
        or find_country(place.name) is not None)


_DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                         "western", "central", "greater", "upper", "lower", "rural", "old",
                         "new", "north-east", "north-west", "south-east", "south-west",
                         "northeastern", "northwestern", "southeastern", "southwestern"})


def _leads_name(words: str) -> bool:
    """Are these the first words of a longer name ("Gida " of "Gida Ayana"), rather than a
    part of a place ("Northern " of "Northern Aleppo")?"""
    parts = words.split()
    return bool(parts) and words.endswith((" ", "-")) and all(
        p[0].isupper() and p.lower() not in _DIRECTIONS and p.lower() not in _NOT_NAMES
        for p in parts)


def _names_listed(text: str, named: re.Match[str]) -> list[tuple[int, str]]:
    """The name a place phrase introduces and the names listed after it ("in Beni
    territory, North Kivu")."""
    found = [(named.start("name"), named.group("name"))]
    at = named.end("name")
    if unit := _UNIT.match(text, at):
        at = unit.end()  # "in Beni territory, North Kivu": past the unit word
    while listed := _LISTED.match(text, at):
        found.append((listed.start("name"), listed.group("name")))
        at = listed.end("name")
    return found


def _trim(clause: str, start: int, end: int) -> tuple[int, int]:
    """An entity without a leading article ("the Gaza Strip" -> "Gaza Strip")."""
    text = clause[start:end]
    lead = re.match(r"(?:the|The)\s+", text)
    return (start + lead.end(), end) if lead else (start, end)


def _plausible_name(name: str) -> bool:
    words = name.split()
    if not words or (not name[0].isupper() and not re.match(r"(?:al|el|an|as|ash|ad)[-\s]", name)):
        return False
    if all(re.sub(r"['’]s$", "", w.lower().strip(".")) in _NOT_NAMES for w in words):
        return False  # "Tuesday's"
    if _ORG_WORDS.search(name) or find_country(name) is not None:
        return False
    if country_by_demonym(words[0]) is not None or words[0].lower() in _PEOPLES:
        return False  # "Ethiopian", "Saudi hospital", "Shiite mosque": whose, not where
    if WorldActors.default().by_name(name) is not None:
        return False  # "Hamas", "the Taliban", "JCCC": who, not where
    return (len(name) >= 3 and not name.isupper()) or (len(name) >= 4 and name.isalpha())
