"""Find and parse quantity expressions: digits, scales, number words, ranges and qualifiers.

"over 12 million" -> 12000000 more_than; "between 3,000 and 5,000" -> range; "half a million" -> 500000;
"1.2m" -> 1200000; "5K" -> 5000; "a dozen" -> 12; "dozens of" -> vague (no number). Expressions that are not
counts are kept with a ``kind`` so later stages can skip them: money, percentages, measures ("40 km"),
hyphenated modifiers ("2,000-pound", "11-nation"), calibres ("152mm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from armsledger.models import Qualifier

UNITS_WORDS = {
    "ton": "tonne",
    "tons": "tonne",
    "tonne": "tonne",
    "tonnes": "tonne",
    "metric tons": "tonne",
    "metric tonnes": "tonne",
    "barrel": "barrel",
    "barrels": "barrel",
}

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
}

_WORD = "|".join(sorted(_SMALL, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_WORDS = r"hundred|thousand|million|billion|mln|bn|mn"
# A digit number, optionally with a scale word ("12 million") or a glued scale ("1.2m", "5K", "3bn").
_DIGIT_NUM = rf"(?:{_DIGITS})(?:\s*(?:{_SCALE_WORDS})\b|(?:[mMkK]|bn|mn)\b)?"
# A run of number words: "two hundred and fifty thousand", "twenty-five", "a dozen", "half a million".
_WORD_NUM = (
    rf"(?:half\s+a\s+(?:million|billion|dozen)|half-dozen|a\s+half\s+million|(?:a|one|two|three|four|five|six)\s+dozen"
    rf"|(?:(?:a|{_WORD})(?:-(?:{_WORD}))?(?:\s+(?:and\s+)?(?:{_WORD}|{_SCALE_WORDS})(?:-(?:{_WORD}))?)*"
    rf"(?:\s+(?:{_SCALE_WORDS}))?))"
)
_NUM = rf"(?:{_DIGIT_NUM}|{_WORD_NUM})"

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (
        r"an\s+estimated|some|about|around|roughly|nearly|almost|approximately|approx\.|close\s+to|circa|~|"
        r"an\s+approximate|estimated|just\s+about|or\s+so",
        Qualifier.APPROXIMATELY,
    ),
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of", Qualifier.AT_LEAST),
    (
        r"more\s+than|over|exceeding|exceeded|exceeds|in\s+excess\s+of|upwards\s+of|above|greater\s+than|"
        r"topped|surpassed|just\s+over|well\s+over",
        Qualifier.MORE_THAN,
    ),
    (
        r"up\s+to|as\s+many\s+as|as\s+much\s+as|a\s+maximum\s+of|no\s+more\s+than|not\s+more\s+than",
        Qualifier.UP_TO,
    ),
    (r"fewer\s+than|less\s+than|under|below|just\s+under", Qualifier.LESS_THAN),
]
_QUAL_RE = "|".join(f"(?P<q{i}>{pat})" for i, (pat, _) in enumerate(_QUALIFIERS))

_EXPR = re.compile(
    rf"(?<![\w$€£.,-])"
    rf"(?:(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?:(?P<between>between|from)\s+)?"
    rf"(?P<n1>{_NUM})"
    rf"(?:\s*(?:-|–|to|and)\s*(?P<n2>{_NUM}))?"
    rf"(?P<post>\s+or\s+more|\s+or\s+so|-plus|\+)?"
    rf"(?![\w])",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:dozens|hundreds|thousands|tens\s+of\s+thousands|hundreds\s+of\s+thousands|millions|several\s+"
    r"(?:hundred|thousand|dozen|million)|a\s+(?:few|number|handful|couple)|scores|a\s+large\s+number|"
    r"numerous|many|several)\b",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"(?:[$€£¥₩]|US\$|USD|EUR|GBP)\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(
    r"^\s*(?:(?:million|billion|thousand|mln|bn|m)\s+)?(?:dollars?|euros?|pounds sterling|crowns|korunas?|koruna|"
    r"roubles?|rubles?|won|yuan|hryvnias?|rupees?|yen|francs?|zlotys?|shekels?|rials?)\b",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_MEASURE_AFTER = re.compile(
    r"^\s*(?:-?\s*(?:mm|millimet(?:re|er)s?|cm|calibre|caliber|inch(?:es)?)\b|"
    r"(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|kg|kilograms?|pounds?|lbs?|years?|days?|"
    r"weeks?|months?|hours?|minutes?|seconds?|times|degrees?|knots|nations?|countries|states|members|"
    r"per\s+(?:day|month|year|week)|a\s+(?:day|month|year|week)|fold)\b)",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^\s*(metric\s+tonnes|metric\s+tons|tonnes|tons|tonne|ton|barrels|barrel)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A number expression found in a sentence (offsets relative to the sentence text)."""

    start: int
    end: int
    value: int | float | None
    low: int | float | None
    high: int | float | None
    qualifier: Qualifier | None
    kind: str  # count | money | percent | measure | modifier | unit
    unit: str | None = None
    unit_end: int = 0
    is_word: bool = False

    @property
    def central(self) -> float | None:
        if self.value is not None:
            return float(self.value)
        if self.low is not None and self.high is not None:
            return (float(self.low) + float(self.high)) / 2
        return None


def parse_number(text: str) -> int | float | None:
    """Parse one number expression ("12,000", "1.5 million", "5K", "twenty-five", "half a million")."""
    t = text.strip().lower().replace("\u00a0", " ")
    if not t:
        return None
    m = re.fullmatch(rf"({_DIGITS})\s*({_SCALE_WORDS}|m|k)?", t)
    if m:
        base = float(m.group(1).replace(",", ""))
        scale = _SCALES.get(m.group(2) or "", 1)
        value = base * scale
        return int(value) if value.is_integer() else value
    if t == "half-dozen":
        return 6
    m = re.fullmatch(r"half\s+a\s+(million|billion|dozen)|a\s+half\s+million", t)
    if m:
        return {"million": 500_000, "billion": 500_000_000, "dozen": 6}.get(m.group(1) or "million", 500_000)
    m = re.fullmatch(r"(a|one|two|three|four|five|six)\s+dozen", t)
    if m:
        return 12 * (1 if m.group(1) in ("a", "one") else _SMALL[m.group(1)])
    return _parse_words(t)


def _parse_words(t: str) -> int | None:
    total = 0
    current = 0
    seen = False
    for raw in re.split(r"[\s-]+", t):
        word = raw.strip()
        if word in ("and", ""):
            continue
        if word == "a":
            current = max(current, 1)
            continue
        if word in _SMALL:
            current += _SMALL[word]
            seen = True
        elif word in _SCALES:
            scale = _SCALES[word]
            current = max(current, 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _qualifier(match: re.Match[str]) -> Qualifier | None:
    for i, (_, qualifier) in enumerate(_QUALIFIERS):
        if match.group(f"q{i}"):
            return qualifier
    return None


def find_quantities(text: str) -> list[QuantityMention]:
    """All number expressions in ``text`` with their parsed values and kinds."""
    out: list[QuantityMention] = []
    for m in _EXPR.finditer(text):
        n1 = m.group("n1")
        if n1.lower() in ("a", "an"):
            continue
        v1 = parse_number(n1)
        if v1 is None:
            continue
        n2 = m.group("n2")
        v2 = parse_number(n2) if n2 else None
        start, end = m.start(), m.end()
        is_word = not any(ch.isdigit() for ch in n1)
        qualifier = _qualifier(m) if m.group("qual") else None
        if qualifier is not None and re.search(
            r"\b(?:built|centred|centered|based|revolves?|revolving|organised|organized|structured)\s*$",
            text[: m.start()],
        ):
            # "a package built around four launchers": a phrasal verb, not a hedge.
            qualifier = None
        value: int | float | None = v1
        low = high = None
        sep_text = text[m.end("n1") : m.start("n2")] if n2 else ""
        if n2 and v2 is not None and (m.group("between") or "and" not in sep_text):
            # "3,000-5,000", "10,000 to 12,000", "between 3 and 5": a range. Scale words carry over
            # ("3 to 5 million").
            scale2 = re.search(rf"({_SCALE_WORDS}|[mk])\s*$", n2, re.IGNORECASE)
            if scale2 and not re.search(rf"({_SCALE_WORDS}|[mk])\s*$", n1, re.IGNORECASE):
                v1 = v1 * _SCALES[scale2.group(1).lower()]
            if v2 > v1:
                value, low, high, qualifier = None, v1, v2, Qualifier.RANGE
            else:
                end = m.end("n1")
        elif n2:
            # "4 and 5" that is not "between": keep the first number only.
            end = m.end("n1")
        post = (m.group("post") or "").strip().lower()
        if post in ("or more", "-plus", "+") and qualifier is None:
            qualifier = Qualifier.AT_LEAST
        elif post == "or so" and qualifier is None:
            qualifier = Qualifier.APPROXIMATELY
        if qualifier is None:
            qualifier = Qualifier.EXACT
        before, after = text[:start], text[end:]
        num_start = m.start("n1")
        kind = "count"
        unit = None
        unit_end = end
        if _MONEY_BEFORE.search(text[:num_start]) or _MONEY_AFTER.match(after):
            kind = "money"
        elif _PERCENT_AFTER.match(after):
            kind = "percent"
        elif after.startswith("-") and re.match(r"-[A-Za-z]", after):
            kind = "modifier"
        elif _MEASURE_AFTER.match(after):
            kind = "measure"
        elif (um := _UNIT_AFTER.match(after)) is not None:
            kind = "unit"
            unit = UNITS_WORDS[re.sub(r"\s+", " ", um.group(1).lower()).replace("metric ", "")]
            unit_end = end + um.end()
        elif re.fullmatch(r"(?:19|20)\d\d", n1) and n2 is None and qualifier is Qualifier.EXACT:
            kind = "year"
        elif re.search(r"(?:No\.|number|#)\s*$", before) and not re.search(
            r"\b(?:could|would|will|may|might|to|did|does|do|now)\s+number\s*$",
            before,
            re.IGNORECASE,
        ):
            kind = "modifier"  # "No. 2", "number 7" (but not the verb: "could number about 24 airframes")
        out.append(
            QuantityMention(
                start=start if m.group("qual") or m.group("between") else num_start,
                end=end,
                value=value,
                low=low,
                high=high,
                qualifier=qualifier,
                kind=kind,
                unit=unit,
                unit_end=unit_end,
                is_word=is_word,
            )
        )
    return out


def find_vague(text: str) -> list[tuple[int, int]]:
    """Spans of vague amounts ("dozens of", "several thousand") that give no number."""
    return [(m.start(), m.end()) for m in _VAGUE.finditer(text)]
