"""What an estimate is asked: a carrier count with its qualifier, the cargo mix, draws and seed.

Parses the user's forms ("28,000", "over 28000", "20000-28000", "12 million", "152mm:0.8,122mm-rocket:0.2",
"28000 containers = 12000000 152mm") into typed records and rejects zero, negative or absurd values with
a :class:`UsageError` that says what to do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from armsledger.errors import UsageError
from armsledger.estimate.catalogue import Catalogue
from armsledger.models import Qualifier

# The largest carrier count in the reference facts is ~33,000 containers (ROK DIA, after July 2025:
# reference-facts.json conversions/rok_dia_later_2025). A million carriers is 30 times that: such a
# count is a typo or a different unit, not a shipment.
MAX_CARRIERS = 1_000_000
# Twelve digits of rounds is ~1,000 times the largest reported total (12-15 million shells, same
# source); above it a figure is a typo. Checking plausibility below it is the verdict's job.
MAX_ROUNDS = 1e12
# Percentiles p5/p95 need at least 50 draws in each tail to mean anything.
MIN_DRAWS = 1_000
# Mix shares must sum to 1 within rounding of two-decimal shares ("0.33,0.33,0.34").
SHARE_TOLERANCE = 0.005

_SCALES = {
    "": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9,
}  # fmt: skip
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_AMOUNT = re.compile(rf"^\s*(?P<num>-?{_NUMBER})\s*(?P<scale>[a-z]*)\s*$", re.IGNORECASE)
_RANGE = re.compile(
    rf"^\s*(?P<a>{_NUMBER}\s*[a-z]*)\s*(?:-|–|to)\s*(?P<b>{_NUMBER}\s*[a-z]*)\s*$", re.IGNORECASE
)
_QUALIFIER_WORDS: tuple[tuple[str, Qualifier], ...] = (
    ("approximately", Qualifier.APPROXIMATELY),
    ("an estimated", Qualifier.APPROXIMATELY),
    ("about", Qualifier.APPROXIMATELY),
    ("around", Qualifier.APPROXIMATELY),
    ("roughly", Qualifier.APPROXIMATELY),
    ("some", Qualifier.APPROXIMATELY),
    ("nearly", Qualifier.APPROXIMATELY),
    ("almost", Qualifier.APPROXIMATELY),
    ("~", Qualifier.APPROXIMATELY),
    ("more than", Qualifier.MORE_THAN),
    ("over", Qualifier.MORE_THAN),
    ("exceeding", Qualifier.MORE_THAN),
    ("in excess of", Qualifier.MORE_THAN),
    (">", Qualifier.MORE_THAN),
    ("at least", Qualifier.AT_LEAST),
    ("no fewer than", Qualifier.AT_LEAST),
    ("up to", Qualifier.UP_TO),
    ("as many as", Qualifier.UP_TO),
    ("fewer than", Qualifier.LESS_THAN),
    ("less than", Qualifier.LESS_THAN),
    ("under", Qualifier.LESS_THAN),
    ("<", Qualifier.LESS_THAN),
    ("exactly", Qualifier.EXACT),
)
_QUALIFIER_OPTION = {
    "exact": Qualifier.EXACT, "about": Qualifier.APPROXIMATELY, "approximately": Qualifier.APPROXIMATELY,
    "over": Qualifier.MORE_THAN, "more-than": Qualifier.MORE_THAN, "at-least": Qualifier.AT_LEAST,
    "up-to": Qualifier.UP_TO, "less-than": Qualifier.LESS_THAN, "fewer-than": Qualifier.LESS_THAN,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Count:
    """A stated count: ``value`` with its qualifier, or a ``low``–``high`` range."""

    value: float | None
    qualifier: Qualifier = Qualifier.EXACT
    low: float | None = None
    high: float | None = None

    @property
    def central(self) -> float:
        """The stated figure (a range's midpoint), as the conventions multiply it."""
        if self.value is not None:
            return self.value
        assert self.low is not None and self.high is not None
        return (self.low + self.high) / 2

    def bounds(self, catalogue: Catalogue) -> tuple[float, float]:
        """The interval the Monte Carlo draws the count from, by the catalogue's qualifier factors."""
        if self.value is None:
            assert self.low is not None and self.high is not None
            return self.low, self.high
        lo, hi = catalogue.qualifier_factors[self.qualifier]
        return self.value * lo, self.value * hi

    def describe(self) -> str:
        words = {
            Qualifier.APPROXIMATELY: "about ",
            Qualifier.MORE_THAN: "over ",
            Qualifier.AT_LEAST: "at least ",
            Qualifier.UP_TO: "up to ",
            Qualifier.LESS_THAN: "fewer than ",
        }
        if self.value is None:
            return f"{self.low:,.0f}–{self.high:,.0f}"
        return f"{words.get(self.qualifier, '')}{self.value:,.0f}"

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "low": self.low, "high": self.high, "qualifier": self.qualifier.value}


@dataclass(frozen=True, slots=True)
class MixShare:
    """The share of munition-carrying carriers loaded with one munition."""

    munition: str
    share: float


@dataclass(frozen=True, slots=True)
class EstimateQuery:
    """One estimate: how many of which carrier, loaded with what, and the Monte Carlo settings."""

    count: Count
    carrier: str
    mix: tuple[MixShare, ...]
    draws: int
    seed: int
    notes: tuple[str, ...] = ()  # how the query was completed (e.g. a munition assumed)

    @property
    def munitions(self) -> tuple[str, ...]:
        return tuple(m.munition for m in self.mix)

    def to_dict(self) -> dict[str, object]:
        return {
            "carriers": {"carrier": self.carrier, **self.count.to_dict()},
            "mix": [{"munition": m.munition, "share": m.share} for m in self.mix],
            "draws": self.draws,
            "seed": self.seed,
        }


@dataclass(frozen=True, slots=True)
class Conversion:
    """A reported conversion "N carriers = M rounds" to check."""

    carriers: Count
    carrier: str
    rounds: Count
    munition: str | None  # None: the text names none
    carrier_name: str = ""  # as written ("containers")

    @property
    def implied_per_carrier(self) -> float:
        return self.rounds.central / self.carriers.central


def parse_amount(text: str, what: str) -> float:
    """A number as people write it: "28000", "28,000", "12 million", "1.5m", "5K"."""
    match = _AMOUNT.match(text)
    scale = match.group("scale").lower() if match else None
    if match is None or scale not in _SCALES:
        raise UsageError(
            f"{what} {text.strip()!r} is not a number", hint="write e.g. 28000, 28,000 or 12 million"
        )
    return float(match.group("num").replace(",", "")) * _SCALES[scale]


def _split_qualifier(text: str) -> tuple[Qualifier | None, str]:
    lowered = text.strip().lower()
    for words, qualifier in _QUALIFIER_WORDS:
        if lowered.startswith(words) and (
            not words[-1].isalpha() or lowered[len(words) : len(words) + 1] in " "
        ):
            return qualifier, text.strip()[len(words) :].strip()
    return None, text.strip()


def parse_count(text: str, what: str = "count", *, qualifier: Qualifier | None = None) -> Count:
    """A count with an optional leading qualifier word ("over 28000") or a range ("20000-28000")."""
    stated, rest = _split_qualifier(text)
    if stated is not None and qualifier is not None and stated is not qualifier:
        raise UsageError(
            f"{what} {text!r} says {stated.value} but --qualifier says {qualifier.value}",
            hint="give one of them",
        )
    qualifier = stated or qualifier or Qualifier.EXACT
    ranged = _RANGE.match(rest)
    if ranged:
        low, high = parse_amount(ranged.group("a"), what), parse_amount(ranged.group("b"), what)
        if low > high:
            raise UsageError(f"{what} range {text!r} runs backwards", hint="write the low end first")
        return Count(value=None, qualifier=Qualifier.RANGE, low=low, high=high)
    return Count(value=parse_amount(rest, what), qualifier=qualifier)


def parse_qualifier_option(value: str | None) -> Qualifier | None:
    """The ``--qualifier`` option: exact, about, over, at-least, up-to, less-than."""
    if value is None:
        return None
    key = value.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in _QUALIFIER_OPTION:
        raise UsageError(
            f"--qualifier {value!r} is not valid", hint=f"use one of: {', '.join(_QUALIFIER_OPTION)}"
        )
    return _QUALIFIER_OPTION[key]


def validate_carriers(count: Count, what: str = "carrier count") -> Count:
    """Refuse zero, negative, fractional-looking or absurd carrier counts."""
    for figure in (count.value, count.low, count.high):
        if figure is None:
            continue
        if not math.isfinite(figure) or figure <= 0:
            raise UsageError(
                f"{what} must be above zero, got {figure:g}", hint="give the number of carriers, e.g. 28000"
            )
        if figure > MAX_CARRIERS:
            raise UsageError(
                f"{what} {figure:,.0f} is beyond any reported shipment (largest ~33,000 containers)",
                hint=f"check the figure; at most {MAX_CARRIERS:,} carriers are accepted",
            )
    return count


def validate_rounds(count: Count, what: str = "rounds") -> Count:
    for figure in (count.value, count.low, count.high):
        if figure is not None and (not math.isfinite(figure) or figure <= 0 or figure > MAX_ROUNDS):
            raise UsageError(
                f"{what} must be above zero and below {MAX_ROUNDS:,.0f}, got {figure:,.0f}",
                hint="give the number of rounds, e.g. 12000000 or 12 million",
            )
    return count


def validate_draws(draws: int) -> int:
    if draws < MIN_DRAWS:
        raise UsageError(
            f"--draws {draws} is too few", hint=f"use at least {MIN_DRAWS:,} (p5 and p95 need them)"
        )
    return draws


def parse_mix(text: str, catalogue: Catalogue) -> tuple[MixShare, ...]:
    """ "152mm:0.8,122mm-rocket:0.2" → shares per munition id; they must sum to 1."""
    shares: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, raw = part.rpartition(":")
        if not sep or not name.strip():
            raise UsageError(
                f"--mix part {part!r} is not MUNITION:SHARE", hint="write e.g. 152mm:0.8,122mm-rocket:0.2"
            )
        munition = catalogue.munition(name.strip()).id
        try:
            share = float(raw.rstrip("%")) / (100 if raw.endswith("%") else 1)
        except ValueError:
            raise UsageError(
                f"--mix share {raw!r} of {name.strip()} is not a number", hint="write e.g. 0.8 or 80%"
            ) from None
        if not math.isfinite(share) or share <= 0 or share > 1:
            raise UsageError(
                f"--mix share of {munition} must be above 0 and at most 1, got {raw}", hint="e.g. 0.8"
            )
        if munition in shares:
            raise UsageError(f"--mix names {munition} twice", hint="give each munition once")
        shares[munition] = share
    if not shares:
        raise UsageError("--mix is empty", hint="write e.g. 152mm:0.8,122mm-rocket:0.2")
    total = sum(shares.values())
    if abs(total - 1) > SHARE_TOLERANCE:
        raise UsageError(
            f"--mix shares sum to {total:g}, not 1", hint="make the shares add up to 1 (or 100%)"
        )
    return tuple(MixShare(m, s / total) for m, s in shares.items())


def single(munition: str) -> tuple[MixShare, ...]:
    return (MixShare(munition, 1.0),)


_CHECK_SPLIT = re.compile(r"\s*(?:=|->|→|≈|~=)\s*")
_CARRIER_SIDE = re.compile(
    r"^(?P<count>.*?\d[\d,.]*\s*(?:k|thousand|m|million|bn|billion)?)\s+(?P<name>[^\d].*)$", re.IGNORECASE
)
_ROUNDS_SIDE = re.compile(
    rf"^(?P<count>.*?{_NUMBER}\s*(?:k|thousand|mn|mln|m|millions?|bn|b|billion)?)(?![a-z])\s*(?P<name>.*)$",
    re.IGNORECASE,
)


def parse_check(text: str, catalogue: Catalogue) -> Conversion:
    """ "28000 containers = 12000000 152mm" (qualifier words allowed; munition optional)."""
    parts = _CHECK_SPLIT.split(text.strip())
    if len(parts) != 2 or not all(parts):
        raise UsageError(
            f"--check {text!r} is not 'N CARRIERS = M [MUNITION]'",
            hint='write e.g. --check "28000 containers = 12000000 152mm"',
        )
    left, right = parts
    carrier_side = _CARRIER_SIDE.match(left)
    if carrier_side is None:
        raise UsageError(
            f"--check {left!r} does not name a carrier count", hint="write e.g. '28000 containers'"
        )
    carriers = validate_carriers(parse_count(carrier_side.group("count"), "--check carrier count"))
    carrier_name = carrier_side.group("name").strip()
    carrier = catalogue.carrier(carrier_name).id
    rounds_side = _ROUNDS_SIDE.match(right)
    if rounds_side is None:
        raise UsageError(
            f"--check {right!r} does not give a number of rounds", hint="write e.g. '12000000 152mm'"
        )
    rounds = validate_rounds(parse_count(rounds_side.group("count"), "--check rounds"), "--check rounds")
    name = re.sub(
        r"^(?:rounds?|shells?)\s+(?:of\s+)?", "", rounds_side.group("name").strip(), flags=re.IGNORECASE
    )
    munition = catalogue.munition(name).id if name and lookup_needed(name) else None
    return Conversion(
        carriers=carriers, carrier=carrier, rounds=rounds, munition=munition, carrier_name=carrier_name
    )


def lookup_needed(name: str) -> bool:
    """False for generic words ("rounds", "shells", "artillery shells") that name no munition."""
    return (
        re.fullmatch(
            r"(?:artillery\s+)?(?:rounds?|shells?|munitions?|ammunition)", name.strip(), re.IGNORECASE
        )
        is None
    )


def resolve_mix(
    catalogue: Catalogue, munition: str | None, mix: str | None, fallback: Sequence[MixShare] = ()
) -> tuple[tuple[MixShare, ...], tuple[str, ...]]:
    """The cargo from ``--as`` or ``--mix`` (not both), else ``fallback``, else the official reference munition."""
    if munition is not None and mix is not None:
        raise UsageError(
            "--as and --mix both give the cargo", hint="use --as for one munition or --mix for several"
        )
    if mix is not None:
        return parse_mix(mix, catalogue), ()
    if munition is not None:
        return single(catalogue.munition(munition).id), ()
    if fallback:
        return tuple(fallback), ()
    reference = catalogue.official.reference_munition
    return single(reference), (f"no munition given: assumed {reference}, as the official convention does",)
