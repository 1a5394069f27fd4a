"""Sentence segmentation: offsets map back to the text; text without full stops is cut into bounded pieces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from armsledger.extract.segment import MAX_SENTENCE_CHARS, split_sentences


def test_news_abbreviations_do_not_end_sentences() -> None:
    text = "The U.S. said on Sept. 7 that Gen. Smith had left. North Korea sent 1,000 containers."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The U.S. said on Sept. 7 that Gen. Smith had left.",
        "North Korea sent 1,000 containers.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["shells", "sent", "to", "Russia", "1,000", "and", "tanks,", "Kyiv;"]), max_size=900
    )
)
def test_long_unpunctuated_text_is_cut_into_bounded_pieces(words: list[str]) -> None:
    text = " ".join(words)
    sentences = split_sentences(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert len(s.text) <= MAX_SENTENCE_CHARS
    # Nothing but white space is lost between pieces.
    covered = "".join(text[s.start : s.end] for s in sentences).replace(" ", "")
    assert covered == text.replace(" ", "")
