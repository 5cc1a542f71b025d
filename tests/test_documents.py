"""Reading articles: text, HTML, and every kind of bad file refused with a clear message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from trucewatch.errors import InputError
from trucewatch.ingest import expand_paths, iter_documents, read_document

ARTICLE = (
    "Shelling hits market town\n\n"
    "Shelling struck the market of a town on Tuesday, killing three people, "
    "residents said.\n"
)


def test_text_article_keeps_its_headline_and_text(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    report = read_document(path, published=date(2020, 5, 5))
    assert report.title == "Shelling hits market town"
    assert report.text == ARTICLE
    assert report.published == date(2020, 5, 5)
    assert report.source == str(path)


def test_a_breadcrumb_or_menu_line_is_not_the_title(tmp_path: Path):
    # Pages saved as text often start with the site's breadcrumb (the seed article
    # does): the headline is the first line that is the article's.
    path = tmp_path / "a.txt"
    path.write_text("You are here\n\nHome > World\nMenu\n" + ARTICLE, encoding="utf-8")
    assert read_document(path).title == "Shelling hits market town"
    seed = Path(__file__).parent / "fixtures" / "seed_article.txt"
    assert read_document(seed).title == "Fifth round of Kazakh Syria talks focuses on safe zones"


def test_windows_line_endings_and_bom_are_normalised(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode())
    assert read_document(path).text == ARTICLE


def test_same_text_has_the_same_content_hash(tmp_path: Path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE.replace("\n\n", "\n  \n"))
    a, b = read_document(tmp_path / "a.txt"), read_document(tmp_path / "b.txt")
    assert a.content_hash == b.content_hash


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Frappes aériennes sur la ville, déclare l'Observatoire. " * 20, "latin-1"),
        ("Удары по городу, сообщили источники. " * 20, "cp1251"),
    ],
)
def test_legacy_encodings_are_decoded(tmp_path: Path, text: str, encoding: str):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert read_document(path).text == text


def test_html_article_main_text_is_extracted(tmp_path: Path):
    body = " ".join(["Air strikes hit the town of Example on Tuesday, a medical source said."] * 4)
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Strikes</title>"
        '<meta property="article:published_time" content="2017-07-04"></head>'
        f"<body><nav>Home | World</nav><article><h1>Strikes hit Example</h1><p>{body}</p>"
        "</article><footer>Newsletter</footer></body></html>",
        encoding="utf-8",
    )
    report = read_document(path)
    assert "a medical source said" in report.text
    assert "Newsletter" not in report.text
    assert report.published == date(2017, 7, 4)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n ", "file is empty"),
        ("junk.txt", b"\x00\x01\x02binary\x00" * 50, "binary data (NUL byte at offset 0)"),
        ("ctrl.txt", bytes(range(1, 9)) * 200, "binary data (many control bytes)"),
        ("nohtml.html", b"<html><body><nav>Home</nav></body></html>", "no article text found"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(
    tmp_path: Path, name: str, content: bytes, message: str
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "gone.txt")


def test_undecodable_bytes_name_the_offset(tmp_path: Path):
    path = tmp_path / "broken.txt"
    # Valid UTF-8, then bytes no encoding makes sense of.
    path.write_bytes(b"Shelling hit the town. " * 3 + bytes([0xC3, 0x28, 0xA0, 0xA1]) * 40)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert "not valid UTF-8 (first bad byte at offset 69)" in str(caught.value)


def test_oversized_file_is_refused(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(InputError, match="over the limit of 1,000"):
        read_document(path, max_bytes=1000)


def test_folders_expand_to_their_article_files(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(ARTICLE)
    (tmp_path / "sub" / "a.html").write_text("<html></html>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    assert [p.name for p in expand_paths([tmp_path])] == ["b.txt", "a.html"]


def test_a_batch_goes_on_past_a_bad_file(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(ARTICLE)
    results = list(iter_documents([tmp_path]))
    assert isinstance(results[0][1], InputError)
    assert results[1][1].title == "Shelling hits market town"  # type: ignore[union-attr]
