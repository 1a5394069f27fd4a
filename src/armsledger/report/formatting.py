"""Human-readable text for quantities, periods, states and flows, shared by every renderer."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from armsledger.models import Category, Period, Qualifier, Quantity
from armsledger.store.records import Flow, UnitTotal

NO_FIGURE = "—"

_QUALIFIER_WORDS: dict[Qualifier, str] = {
    Qualifier.APPROXIMATELY: "about",
    Qualifier.AT_LEAST: "at least",
    Qualifier.MORE_THAN: "over",
    Qualifier.UP_TO: "up to",
}

_UNIT_PLURALS = {"tonne": "tonnes", "barrel": "barrels"}

# ISO names that read badly in a report ("Russian Federation", "Korea, Republic of") and have no
# pycountry common_name.
_STATE_NAMES = {"RUS": "Russia", "USA": "United States", "GBR": "United Kingdom", "CZE": "Czech Republic"}

CATEGORY_LABELS: dict[Category, str] = {
    Category.AMMUNITION: "Ammunition",
    Category.MISSILE: "Missiles",
    Category.WEAPON_SYSTEM: "Weapon systems",
    Category.PERSONNEL: "Personnel",
    Category.SHIPMENT: "Shipments",
    Category.OTHER: "Other support",
}


def format_number(value: float | int) -> str:
    """Thousands separators; decimals only when the number has them (12,000,000 / 1.5 / 2,500.25)."""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _with_unit(text: str, unit: str | None, amount: float | None) -> str:
    if unit is None:
        return text
    word = unit if amount is not None and float(amount) == 1 else _UNIT_PLURALS.get(unit, unit)
    return f"{text} {word}"


def format_quantity(quantity: Quantity) -> str:
    """The figure as an analyst would write it: "over 12,000,000", "about 28,000", "3,000–5,000"."""
    q = quantity
    if q.is_empty:
        return NO_FIGURE
    if q.qualifier is Qualifier.RANGE or (q.value is None and q.low is not None and q.high is not None):
        assert q.low is not None and q.high is not None
        return _with_unit(f"{format_number(q.low)}–{format_number(q.high)}", q.unit, q.high)
    amount = q.value if q.value is not None else (q.low if q.low is not None else q.high)
    assert amount is not None
    text = format_number(amount)
    if q.qualifier is Qualifier.LESS_THAN:
        text = f"{'fewer than' if q.unit is None else 'less than'} {text}"
    elif q.qualifier in _QUALIFIER_WORDS:
        text = f"{_QUALIFIER_WORDS[q.qualifier]} {text}"
    elif q.value is None and q.low is not None:
        text = f"at least {text}"
    elif q.value is None:
        text = f"up to {text}"
    return _with_unit(text, q.unit, amount)


def format_period(period: Period | None) -> str:
    """ "2024-10", "2024-07 to 2024-08", "since 2022", "by 2024-12", or an em dash."""
    if period is None or period.is_empty:
        return NO_FIGURE
    if period.start and period.end:
        return period.start if period.start == period.end else f"{period.start} to {period.end}"
    if period.start:
        return period.start
    return f"by {period.end}"


def format_totals(totals: tuple[UnitTotal, ...]) -> str:
    """Summed figures of a flow, one per unit ("15,500,000; 76,000 tonnes"), or an em dash."""
    if not totals:
        return NO_FIGURE
    return "; ".join(_with_unit(format_number(t.total), t.unit, t.total) for t in totals)


def format_unquantified(flow: Flow) -> str:
    """How many of a flow's claims give no number ("" when all do)."""
    n = len(flow.unquantified)
    return "" if n == 0 else f"{n} without a number"


@lru_cache(maxsize=512)
def state_name(code: str | None) -> str:
    """Readable name of an ISO alpha-3 state code ("PRK" -> "North Korea"); "unnamed" for None."""
    if code is None:
        return "unnamed"
    if code in _STATE_NAMES:
        return _STATE_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    common = getattr(country, "common_name", None)
    return str(common or country.name)


def state_code(code: str | None) -> str:
    """The ISO code for tables, or a dash for an unnamed state."""
    return code or NO_FIGURE


def category_label(category: Category) -> str:
    """Plural, capitalised category name for headings."""
    return CATEGORY_LABELS[category]
