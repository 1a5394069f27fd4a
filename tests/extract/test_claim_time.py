"""When a claim happened: a deadline in a forecast clause does not date what already occurred."""

from __future__ import annotations

from datetime import date

from armsledger.extract import extract_document
from armsledger.models import Document, Status


def test_deadline_of_forecast_does_not_date_the_occurred_part() -> None:
    text = (
        "Roughly 2,500 North Korean engineers have already been moved to Russia and the total is expected to "
        "reach 6,000 by December, an intelligence official in Seoul said."
    )
    claims = extract_document(Document.from_text(text, published=date(2025, 9, 3)))
    by_status = {c.status: c for c in claims}
    assert set(by_status) == {Status.OCCURRED, Status.EXPECTED}
    assert by_status[Status.OCCURRED].quantity.central == 2500
    assert by_status[Status.OCCURRED].time is None
    expected = by_status[Status.EXPECTED]
    assert expected.quantity.central == 6000
    assert expected.time is not None and expected.time.end == "2025-12"


def test_before_the_end_of_the_year_sets_an_end() -> None:
    text = "Officials in Manila said the Philippines would receive two more FA-50 jets from South Korea before the end of the year."
    claims = extract_document(Document.from_text(text, published=date(2025, 3, 14)))
    assert len(claims) == 1
    assert claims[0].time is not None and claims[0].time.end == "2025-12"
