"""The trained pipeline as the extractor loads it (trucewatch.extract.language): what it
leaves out must not change a parse."""

from __future__ import annotations

import pytest

from trucewatch.extract import language

pytestmark = pytest.mark.slow  # loads spaCy's model twice: a second or more


@pytest.fixture(scope="module")
def whole():
    nlp = language.load_model(exclude=language._UNUSED)
    if nlp is None:
        pytest.skip(f"the model package {language.MODEL_PACKAGE} is not installed")
    return nlp


def test_the_tokenizer_built_is_the_one_the_model_stores(whole):
    """The extractor builds spaCy's English tokenizer instead of reading the model's from
    disk: they must be the same, rules, exceptions and patterns (a model shipped with its
    own tokenizer would fail here, and must then be read)."""
    loaded = language.pipeline()
    assert loaded is not None
    # The vocab left out: it grows with every text the pipeline has read (other tests').
    assert (loaded.tokenizer.to_bytes(exclude=["vocab"])
            == whole.tokenizer.to_bytes(exclude=["vocab"]))
    assert loaded.pipe_names == whole.pipe_names == ["tok2vec", "tagger", "parser"]


def test_the_same_parse(whole):
    text = ("Sudanese army jets struck Nyala on Tuesday, killing 12 people, the U.S.-based "
            "monitor said; RSF fighters denied it. A 5-year-old was wounded in Ma'arrat "
            "al-Nu'man, e.g. by shelling at 10 a.m.")
    ours = language.parse([text])
    assert ours is not None
    theirs = whole(text)
    assert [(t.text, t.tag_, t.dep_, t.head.i) for t in ours[0]] == [
        (t.text, t.tag_, t.dep_, t.head.i) for t in theirs]


@pytest.mark.parametrize(("sentence", "source"), [
    ("Jacob Deng, the county commissioner, said the raiders came at dawn.",
     "Jacob Deng, county commissioner"),
    ("The interior minister, Salifou Mody, said the army repelled the attack.",
     "interior minister Salifou Mody"),
    ("The UN humanitarian office (OCHA) said 40 homes were burned.",
     "UN humanitarian office (OCHA)"),
])
def test_a_source_keeps_the_name_the_office_and_the_acronym_beside_it(sentence: str,
                                                                       source: str):
    [doc] = language.parse([sentence])
    assert language.speakers(doc) == [source]
