"""Ingest: each format, the --published override, path expansion, and every bad-input case."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armsledger.errors import IngestError, UsageError
from armsledger.ingest import (
    expand_inputs,
    load_file,
    load_inputs,
    parse_iso_date,
    parse_published_option,
)
from armsledger.models import Document, text_sha256

BODY = (
    "Pyongyang has shipped about 28,000 containers to Russia, officials said on Monday.\n\n"
    "The cargo went by rail."
)


def _one_doc(path: Path, **kwargs: object) -> Document:
    outcomes = load_file(path, **kwargs)  # type: ignore[arg-type]
    assert len(outcomes) == 1, outcomes
    assert isinstance(outcomes[0], Document), outcomes[0]
    return outcomes[0]


def _one_error(path: Path, **kwargs: object) -> IngestError:
    outcomes = load_file(path, **kwargs)  # type: ignore[arg-type]
    assert len(outcomes) == 1, outcomes
    assert isinstance(outcomes[0], IngestError), outcomes[0]
    return outcomes[0]


# -- plain text ---------------------------------------------------------------------------------


def test_text_with_title_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("North Korea ships containers to Russia\n" + BODY, encoding="utf-8")
    doc = _one_doc(path, published=date(2024, 8, 28))
    assert doc.title == "North Korea ships containers to Russia"
    assert doc.text == BODY
    assert doc.id == text_sha256(BODY)
    assert doc.published == date(2024, 8, 28)
    assert doc.raw_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.source_path == str(path)


def test_text_first_line_sentence_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    doc = _one_doc(path)
    assert doc.title is None
    assert doc.text == BODY
    assert doc.published is None


def test_text_long_first_line_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "a.text"
    first = "word " * 60  # 300 characters, no full stop
    path.write_text(first + "\nmore text follows", encoding="utf-8")
    assert _one_doc(path).title is None


def test_single_line_text_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Russia received drones from Iran", encoding="utf-8")
    doc = _one_doc(path)
    assert doc.title is None
    assert doc.text == "Russia received drones from Iran"


def test_markdown_heading_title_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf# Drones for Russia\n\n" + BODY.encode())
    doc = _one_doc(path)
    assert doc.title == "Drones for Russia"
    assert doc.text == BODY


def test_seed_article_title(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed-article.txt"
    if not seed.exists():
        pytest.skip("seed article not available")
    doc = _one_doc(seed, published=date(2025, 7, 13))
    assert doc.title == "North Korea Sends Over 12 Million Artillery Shells to Russia"
    assert doc.text.startswith("In a startling development")


# -- HTML ---------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Seoul counts containers | Wire</title>
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2024-10-22T08:00:00Z">
<link rel="canonical" href="https://example.org/news/containers"></head>
<body><nav>Home | World | Sport</nav><article><h1>Seoul counts containers</h1>
<p>North Korea has shipped more than 13,000 containers of munitions to Russia since August last year,
the spy agency told lawmakers on Tuesday.</p>
<p>The agency said most of the cargo went by sea and then by rail across Russia.</p>
</article><footer>Copyright Example Wire</footer></body></html>"""


def test_html_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = _one_doc(path)
    assert doc.title and "Seoul counts containers" in doc.title
    assert doc.text.startswith("North Korea has shipped more than 13,000 containers")
    assert "Home | World" not in doc.text and "Copyright" not in doc.text
    assert "\n\nThe agency said" in doc.text  # paragraphs separated by a blank line
    assert doc.published == date(2024, 10, 22)
    assert doc.outlet == "Example Wire"
    assert doc.url == "https://example.org/news/containers"


def test_html_published_override(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    assert _one_doc(path, published=date(2024, 10, 23)).published == date(2024, 10, 23)


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    html = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace("lawmakers", "députés")
    path.write_bytes(html.encode("iso-8859-1"))
    assert "députés" in _one_doc(path).text


@pytest.mark.parametrize(
    "content",
    ["<html><head><title>x</title></head><body></body></html>", "<<<>>> %%% ;;;"],
)
def test_html_without_text_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.html"
    path.write_text(content, encoding="utf-8")
    err = _one_error(path)
    assert err.item == str(path)
    assert "no article text" in err.message
    assert err.hint


# -- interchange JSON / JSONL -----------------------------------------------------------------


def _doc_obj(n: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"doc-{n}",
        "title": f"T{n}",
        "published": "2024-08-28",
        "text": f"Text number {n}.",
        **extra,
    }


def test_json_single_document(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    obj = _doc_obj(1, based_on=["https://example.org/a"], claims=[{"ignored": True}])
    path.write_text(json.dumps(obj, indent=1), encoding="utf-8")
    doc = _one_doc(path)
    assert doc.external_id == "doc-1"
    assert doc.public_id == "doc-1"
    assert doc.id == text_sha256("Text number 1.")
    assert doc.title == "T1"
    assert doc.published == date(2024, 8, 28)
    assert doc.based_on == ("https://example.org/a",)
    assert doc.raw_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_dev_documents_load(dev_dir: Path) -> None:
    docs = [o for o in load_inputs([dev_dir]) if isinstance(o, Document)]
    assert len(docs) == len(list(dev_dir.glob("*.json")))
    assert all(d.external_id and d.published and d.text for d in docs)


def test_json_list_reports_bad_items_and_keeps_good(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(
        '[\n  {"id": "a", "text": "First text."},\n  {"id": "b"},\n  {"id": "c", "text": "Third."}\n]',
        encoding="utf-8",
    )
    outcomes = load_file(path)
    assert [type(o).__name__ for o in outcomes] == ["Document", "IngestError", "Document"]
    first, bad, third = outcomes
    assert isinstance(first, Document) and isinstance(third, Document) and isinstance(bad, IngestError)
    assert first.raw_sha256 == hashlib.sha256(b'{"id": "a", "text": "First text."}').hexdigest()
    assert bad.item == f"{path}[1]"
    assert "no `text`" in bad.message


def test_jsonl_lines(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps(_doc_obj(1)),
        "",
        json.dumps(_doc_obj(2)),
        "{not json",
        json.dumps({"id": "x", "text": ""}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcomes = load_file(path)
    assert [type(o).__name__ for o in outcomes] == ["Document", "Document", "IngestError", "IngestError"]
    doc1 = outcomes[0]
    assert isinstance(doc1, Document)
    assert doc1.raw_sha256 == hashlib.sha256(lines[0].encode()).hexdigest()
    parse_error, empty_text = outcomes[2], outcomes[3]
    assert isinstance(parse_error, IngestError) and isinstance(empty_text, IngestError)
    assert parse_error.item == f"{path}:4"
    assert "does not parse" in parse_error.message and "column" in parse_error.message
    assert empty_text.item == f"{path}:5"
    assert "empty" in empty_text.message


def test_json_parse_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "a",\n  "text": "x",,\n}', encoding="utf-8")
    err = _one_error(path)
    assert "line 3" in err.message and "column" in err.message
    assert err.item == str(path)


@pytest.mark.parametrize(
    ("obj", "fragment"),
    [
        ({"id": "a"}, "no `text`"),
        ({"id": "a", "text": "   "}, "empty"),
        ({"id": "a", "text": 42}, "not a string"),
        ({"id": "a", "text": "x", "published": "28/08/2024"}, "not a date"),
        ({"id": "a", "text": "x", "published": "2024-02-30"}, "not a date"),
        ([], "empty list"),
        ("just a string", "expected a JSON object"),
    ],
)
def test_json_bad_documents(tmp_path: Path, obj: object, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    err = _one_error(path)
    assert fragment in err.message
    assert err.hint


def test_published_override_wins_over_json(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": "x", "published": "not a date"}), encoding="utf-8")
    assert _one_doc(path, published=date(2020, 1, 2)).published == date(2020, 1, 2)


# -- bad files of any kind ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "empty.json", "empty.jsonl", "empty.html"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("  \n\n ", encoding="utf-8")
    err = _one_error(path)
    assert err.message == "file is empty"
    assert err.item == str(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    err = _one_error(path)
    assert "binary" in err.message and "offset 8" in err.message


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"Caf" + "é au lait".encode("latin-1"))
    err = _one_error(path)
    assert "not valid UTF-8" in err.message
    assert "byte offset 3" in err.message
    assert "0xE9" in err.message
    assert "UTF-8" in (err.hint or "")


def test_file_over_50_mb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk space
    err = _one_error(path)
    assert "larger than the 50.0 MB limit" in err.message
    assert "ARMSLEDGER_MAX_DOCUMENT_BYTES" in (err.hint or "")


def test_size_limit_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    monkeypatch.setenv("ARMSLEDGER_MAX_DOCUMENT_BYTES", "20")
    assert "limit" in _one_error(path).message
    monkeypatch.setenv("ARMSLEDGER_MAX_DOCUMENT_BYTES", "1000000")
    _one_doc(path)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    err = _one_error(path)
    assert "unsupported file type '.pdf'" in err.message


# -- expanding inputs ---------------------------------------------------------------------------


def test_expand_folders_globs_and_misses(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("a.txt", "sub/b.html", "sub/deeper/c.jsonl", "sub/notes.pdf", ".hidden/d.txt", "e.JSON"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / "empty-folder").mkdir()
    result = expand_inputs(
        [
            str(tmp_path),
            str(tmp_path / "*.txt"),  # a.txt again: listed once
            str(tmp_path / "nothing-*.txt"),
            str(tmp_path / "missing.txt"),
            str(tmp_path / "empty-folder"),
        ]
    )
    names = [p.relative_to(tmp_path).as_posix() for p in result.files]
    assert names == ["a.txt", "e.JSON", "sub/b.html", "sub/deeper/c.jsonl"]
    messages = [(e.item, e.message) for e in result.errors]
    assert messages == [
        (str(tmp_path / "nothing-*.txt"), "pattern matches no supported file"),
        (str(tmp_path / "missing.txt"), "no such file or folder"),
        (str(tmp_path / "empty-folder"), "folder holds no supported files"),
    ]


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024/08/28", "28-08-2024", ""])
def test_published_option_rejects_bad_values(value: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_published_option(value)
    assert repr(value) in str(info.value)
    assert "YYYY-MM-DD" in str(info.value)


def test_published_option_accepts_iso_date_and_none() -> None:
    assert parse_published_option("2024-08-28") == date(2024, 8, 28)
    assert parse_published_option(None) is None


@given(st.dates())
def test_iso_dates_round_trip(value: date) -> None:
    assert parse_iso_date(value.isoformat()) == value
    assert parse_iso_date(f"{value.isoformat()}T12:30:00Z") == value


@given(st.text(max_size=12))
def test_parse_iso_date_never_raises(value: str) -> None:
    parsed = parse_iso_date(value)
    assert parsed is None or isinstance(parsed, date)


@pytest.mark.parametrize("cut", [PAGE[: PAGE.index("</article>")], "<html><body><div"])
def test_truncated_html_is_an_error(tmp_path: Path, cut: str) -> None:
    path = tmp_path / "cut.html"
    assert "</html>" not in cut
    path.write_text(cut, encoding="utf-8")
    err = _one_error(path)
    assert err.item == str(path)
    assert "truncated" in err.message
    assert "download the page again" in (err.hint or "")


def test_interchange_text_with_nul_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nul.json"
    path.write_text(
        '{"id": "x", "title": "t", "text": "North Korea sent\\u0000 shells to Russia."}', encoding="utf-8"
    )
    err = _one_error(path)
    assert "NUL character" in err.message
    assert err.item and "nul.json" in err.item
