"""Lexicon files are validated on load; errors name the file, line and field."""

from __future__ import annotations

import pytest

from armsledger.errors import LexiconError
from armsledger.extract.lexicon import ITEM_COLUMNS, items_from_rows, load_lexicon, parse_tsv

HEADER = "\t".join(ITEM_COLUMNS)


def test_shipped_lexicons_load() -> None:
    lex = load_lexicon()
    assert lex.states["Pyongyang"] == ("PRK", "capital")
    assert lex.items["shells"].category.value == "ammunition"
    assert lex.places["Kursk"] == "RUS"


def test_bad_header_names_file_and_line() -> None:
    with pytest.raises(LexiconError) as err:
        parse_tsv("# comment\nterm\tplural\n", "items.tsv", ITEM_COLUMNS)
    assert err.value.item == "lexicon/items.tsv:2"
    assert "header" in err.value.message


def test_wrong_field_count_names_line() -> None:
    with pytest.raises(LexiconError) as err:
        parse_tsv(f"{HEADER}\nshell\tshells\tammunition\n", "items.tsv", ITEM_COLUMNS)
    assert err.value.item == "lexicon/items.tsv:2"
    assert "3 fields" in err.value.message


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("shell\tshells\tartillery\tx\t0", "category"),
        ("shell\tshells\tammunition\tx\tyes", "generic"),
    ],
)
def test_bad_item_field_is_named(row: str, field: str) -> None:
    rows = parse_tsv(f"{HEADER}\n{row}\n", "items.tsv", ITEM_COLUMNS)
    with pytest.raises(LexiconError) as err:
        items_from_rows(rows)
    assert field in err.value.message
    assert err.value.item == "lexicon/items.tsv:2"


def test_duplicate_term_is_rejected() -> None:
    text = f"{HEADER}\nshell\tshells\tammunition\tx\t0\nshell\t-\tammunition\tx\t0\n"
    with pytest.raises(LexiconError) as err:
        items_from_rows(parse_tsv(text, "items.tsv", ITEM_COLUMNS))
    assert "twice" in err.value.message
