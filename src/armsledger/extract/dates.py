"""Find date expressions in a sentence and resolve them against the document's publication date.

The result is an ISO partial date ("2024", "2024-10", "2023-09-07") whose precision follows the text:
"mid-2022" -> "2022", "last year" -> that year, "in July or August" -> 07 .. 08, "since X" sets start only,
"by the end of the year" sets end only. Months and weekdays without a year resolve to the most recent one
before publication, or the next one when the claim is about the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# Months are matched capitalised only: "may" is far more often a modal verb than a month.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.)"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_PART = r"(?:early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of)"
_ATOM = re.compile(
    rf"(?P<mdy>(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:\s*(?:and|-|–)\s*(?P<d1b>\d{{1,2}})(?!\d))?"
    rf"(?:,?\s+(?P<y1>{_YEAR}))?)"
    rf"|(?P<dmy>(?<!\d)(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?)"
    rf"|(?P<my>(?:(?P<mpart>{_PART})[\s-]+(?:of\s+)?)?(?P<m3>{_MONTH})(?:,?\s+(?P<y3>{_YEAR}))?)"
    rf"|(?P<y>(?:(?P<ypart>{_PART})[\s-]+(?:of\s+)?)?(?<![A-Za-z0-9])(?P<y4>{_YEAR})(?![A-Za-z0-9]))"
    rf"|(?P<rel>(?:(?:early|late|earlier|later)\s+)?(?:(?:in|during|at)\s+)?(?:the\s+)?(?P<relword>last|this|next|past|"
    rf"previous|current|coming)\s+(?P<relunit>year|month|week|summer|winter|spring|autumn|fall)\b)"
    rf"|(?P<yest>yesterday|today|overnight)"
    rf"|(?P<wd>(?:on\s+|last\s+|this\s+past\s+)?(?P<wday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))",
)
_CONNECT_RANGE = re.compile(r"^\s*(?:and|to|until|till|through|or|-|–)\s*$", re.IGNORECASE)
_BEFORE_SINCE = re.compile(
    r"(?:since|from|starting(?:\s+in)?|beginning(?:\s+in)?|as\s+of|began(?:\s+\w+)?(?:\s+in)?|"
    r"started(?:\s+in)?|start(?:ed)?\s+in)\s+(?:around\s+|about\s+)?$",
    re.IGNORECASE,
)
_BEFORE_BY = re.compile(
    r"(?:by|until|till|before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE
)
_BEFORE_BETWEEN = re.compile(r"(?:between|from)\s+$", re.IGNORECASE)
_BEFORE_IN = re.compile(r"(?:in|during|throughout|over)\s+(?:early\s+|late\s+|mid-?)?$", re.IGNORECASE)
_END_OF = re.compile(r"(?:by|before)\s+the\s+end\s+of\s+(?:the\s+|this\s+)?(?P<u>year|month)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateAtom:
    """One date expression before resolution."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    day_end: int | None = None
    relative: str | None = None  # e.g. "last year"
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A resolved date expression: ``start``/``end`` partial dates; ``kind`` says how the text framed it."""

    start_pos: int
    end_pos: int
    start: str | None
    end: str | None
    kind: str  # point | since | by | range | in


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def find_atoms(text: str) -> list[DateAtom]:
    """Date expressions of ``text`` before resolution (find once, resolve for past and future claims)."""
    out: list[DateAtom] = []
    for m in _ATOM.finditer(text):
        if m.group("mdy"):
            y = m.group("y1")
            d1b = m.group("d1b")
            out.append(
                DateAtom(
                    m.start(), m.end(), int(y) if y else None, _month(m.group("m1")), int(m.group("d1")),
                    int(d1b) if d1b else None,
                )
            )  # fmt: skip
        elif m.group("dmy"):
            y = m.group("y2")
            out.append(
                DateAtom(m.start(), m.end(), int(y) if y else None, _month(m.group("m2")), int(m.group("d2")))
            )
        elif m.group("my"):
            y = m.group("y3")
            out.append(DateAtom(m.start(), m.end(), int(y) if y else None, _month(m.group("m3")), None))
        elif m.group("y"):
            if re.match(r"^-\d", text[m.end() :]) or re.search(
                r"(?:Mirage|PzH|Block|Type|Model|Series|Mk|Mark)\s$", text[: m.start()]
            ):
                continue  # a model number ("Mirage 2000-5", "PzH 2000"), not a year
            out.append(DateAtom(m.start(), m.end(), int(m.group("y4")), None, None))
        elif m.group("rel"):
            rel = f"{m.group('relword').lower()} {m.group('relunit').lower()}"
            out.append(DateAtom(m.start(), m.end(), None, None, None, relative=rel))
        elif m.group("yest"):
            out.append(DateAtom(m.start(), m.end(), None, None, None, relative=m.group("yest").lower()))
        elif m.group("wd"):
            out.append(
                DateAtom(m.start(), m.end(), None, None, None, weekday=_WEEKDAYS[m.group("wday").lower()])
            )
    return out


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _resolve(atom: DateAtom, published: date | None, future: bool) -> tuple[str | None, str | None]:
    """(start, end) of one atom; end is set only for a two-day span such as "Sept. 7 and 8"."""
    if atom.relative:
        if published is None:
            return None, None
        rel = atom.relative
        if rel in ("yesterday", "overnight"):
            d = published - timedelta(days=1)
            return _fmt(d.year, d.month, d.day), None
        if rel == "today":
            return _fmt(published.year, published.month, published.day), None
        word, unit = rel.split()
        shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[
            word
        ]
        if unit == "year":
            return _fmt(published.year + shift), None
        if unit == "month":
            m = published.month + shift
            y = published.year + (m - 1) // 12
            return _fmt(y, (m - 1) % 12 + 1), None
        if unit == "week":
            d = published + timedelta(weeks=shift)
            return _fmt(d.year, d.month), None
        return _fmt(published.year + (shift if shift < 0 else 0)), None
    if atom.weekday is not None:
        if published is None:
            return None, None
        delta = (published.weekday() - atom.weekday) % 7
        if future:
            d = published + timedelta(days=(atom.weekday - published.weekday()) % 7 or 7)
        else:
            d = published - timedelta(days=delta or 7)
        return _fmt(d.year, d.month, d.day), None
    year = atom.year
    if year is None:
        if published is None or atom.month is None:
            return None, None
        year = published.year
        if future and atom.month < published.month:
            year += 1
        elif not future and atom.month > published.month:
            year -= 1
    start = _fmt(year, atom.month, atom.day)
    end = _fmt(year, atom.month, atom.day_end) if atom.day_end else None
    return start, end


def _merge_relative_years(text: str, atoms: list[DateAtom], published: date | None) -> list[DateAtom]:
    """Give "October last year" the year of "last year" and drop the relative atom."""
    out: list[DateAtom] = []
    skip = False
    for i, atom in enumerate(atoms):
        if skip:
            skip = False
            continue
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if (
            nxt is not None
            and published is not None
            and atom.month is not None
            and atom.year is None
            and nxt.relative in ("last year", "this year", "next year", "past year", "previous year")
            and re.fullmatch(r"\s*,?\s*", text[atom.end : nxt.start])
        ):
            shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1}[nxt.relative.split()[0]]
            out.append(
                DateAtom(atom.start, nxt.end, published.year + shift, atom.month, atom.day, atom.day_end)
            )
            skip = True
            continue
        out.append(atom)
    return out


def find_dates(
    text: str, published: date | None, *, future: bool = False, atoms: list[DateAtom] | None = None
) -> list[DateExpr]:
    """Date expressions in ``text`` resolved against ``published`` (future: prefer upcoming months)."""
    atoms = _merge_relative_years(text, find_atoms(text) if atoms is None else atoms, published)
    out: list[DateExpr] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        start, end = _resolve(atom, published, future)
        before = text[: atom.start]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt and _CONNECT_RANGE.match(text[atom.end : nxt.start]):
            s2, e2 = _resolve(nxt, published, future)
            # "in July or August", "between March and October last year": a year after the second
            # atom also dates the first.
            if (
                atom.year is None
                and nxt.year is not None
                and atom.month is not None
                and atom.relative is None
            ):
                start = _fmt(nxt.year, atom.month, atom.day)
            if nxt.relative is not None and atom.month is not None and atom.year is None and s2:
                start = _fmt(int(s2[:4]), atom.month, atom.day)
                if nxt.relative.endswith("year") and nxt.month is None:
                    s2 = None
            year_only = s2 is None and nxt.relative is not None and nxt.relative.endswith("year")
            end_val = None if year_only else e2 or s2
            if _BEFORE_SINCE.search(before) and not _BEFORE_BETWEEN.search(before):
                out.append(DateExpr(atom.start, nxt.end, start, None, "since"))
            else:
                out.append(DateExpr(atom.start, nxt.end, start, end_val, "range"))
            i += 2
            continue
        if atom.relative and atom.relative.endswith("year") and start and atom.month is None:
            if _BEFORE_SINCE.search(before):
                out.append(DateExpr(atom.start, atom.end, start, None, "since"))
            else:
                out.append(DateExpr(atom.start, atom.end, start, start, "in"))
        elif _END_OF.search(text[max(0, atom.start - 30) : atom.end]) and atom.relative:
            u = _END_OF.search(text[max(0, atom.start - 30) : atom.end])
            if u and u.group("u").lower() == "year" and start:
                out.append(DateExpr(atom.start, atom.end, None, f"{start[:4]}-12", "by"))
            else:
                out.append(DateExpr(atom.start, atom.end, None, start, "by"))
        elif _BEFORE_SINCE.search(before):
            out.append(DateExpr(atom.start, atom.end, start, None, "since"))
        elif _BEFORE_BY.search(before):
            out.append(DateExpr(atom.start, atom.end, None, start, "by"))
        elif atom.year is not None and atom.month is None and _BEFORE_IN.search(before):
            out.append(DateExpr(atom.start, atom.end, start, start, "in"))
        else:
            out.append(DateExpr(atom.start, atom.end, start, end, "point"))
        i += 1
    # "by the end of the year" with no atom inside it.
    for m in _END_OF.finditer(text):
        if published is not None and not any(d.start_pos <= m.start() < d.end_pos for d in out):
            if m.group("u").lower() == "year":
                out.append(DateExpr(m.start(), m.end(), None, f"{published.year:04d}-12", "by"))
            else:
                out.append(DateExpr(m.start(), m.end(), None, _fmt(published.year, published.month), "by"))
    return sorted(out, key=lambda d: d.start_pos)
