"""The estimate catalogue: munitions, carriers, loading priors and published conventions, as typed records.

The numbers live in YAML files under ``estimate/catalogue/`` (package data); every one is a sourced
range. :func:`load_catalogue` reads and validates them, raising :class:`CatalogueError` that names the
file and the field; lookups by name raise :class:`UsageError` listing close matches.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from armsledger.errors import CatalogueError, UsageError
from armsledger.models import Qualifier

CATALOGUE_FILES = ("munitions.yaml", "carriers.yaml", "loading.yaml", "conventions.yaml")
CATALOGUE_VERSION = 1
MUNITION_KINDS = ("shell", "rocket", "mortar")
_FORMAT_HINT = "fix the value; the header comment of the file describes the format"
_LIST_HINT = "run `armsledger estimate --list` to see every munition and carrier"


@dataclass(frozen=True, slots=True)
class Prior:
    """One catalogue number: a sourced range sampled uniformly (``low == high`` is a constant)."""

    name: str  # dotted path, e.g. "152mm.mass_kg"
    label: str
    unit: str
    low: float
    high: float
    sources: tuple[str, ...]
    point: float | None = None
    unverified: bool = False
    note: str | None = None

    @property
    def mid(self) -> float:
        """The commonly quoted value if the catalogue gives one, else the middle of the range."""
        return self.point if self.point is not None else (self.low + self.high) / 2

    @property
    def is_constant(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True, slots=True)
class Munition:
    """A munition type and the sourced ranges that decide how many fit in a carrier."""

    id: str
    name: str
    kind: str  # one of MUNITION_KINDS
    calibre_mm: int
    ref: str
    aliases: tuple[str, ...]
    mass: Prior
    packaging: Prior
    packed_volume: Prior
    packed_length: Prior
    complete_round_mass: Prior | None = None  # separate-loading rounds only
    charge_volume: Prior | None = None
    note: str | None = None

    @property
    def separate_loading(self) -> bool:
        return self.complete_round_mass is not None

    def priors(self) -> tuple[Prior, ...]:
        optional = (self.complete_round_mass, self.charge_volume)
        return (
            self.mass,
            *(p for p in optional if p),
            self.packaging,
            self.packed_volume,
            self.packed_length,
        )


@dataclass(frozen=True, slots=True)
class Holding:
    """A carrier made of other carriers: ``count`` of ``carrier`` (e.g. two 20 ft boxes on a flatcar)."""

    carrier: str
    count: Prior


@dataclass(frozen=True, slots=True)
class Carrier:
    """A logistics unit: its own cargo space, or a number of another carrier (``holds``)."""

    id: str
    name: str
    ref: str
    aliases: tuple[str, ...]
    payload: Prior | None = None
    internal_volume: Prior | None = None
    internal_length: Prior | None = None
    holds: Holding | None = None
    note: str | None = None

    def priors(self) -> tuple[Prior, ...]:
        own = (self.payload, self.internal_volume, self.internal_length)
        return (*(p for p in own if p), *((self.holds.count,) if self.holds else ()))


@dataclass(frozen=True, slots=True)
class Loading:
    """Priors shared by every munition and carrier."""

    utilisation: Prior
    stowage: Prior
    munition_share: Prior
    charge_share: Prior

    def priors(self) -> tuple[Prior, ...]:
        return (self.utilisation, self.stowage, self.munition_share, self.charge_share)


@dataclass(frozen=True, slots=True)
class Statement:
    """An official "N containers = M rounds if all were one calibre" statement."""

    id: str
    date: str
    actor: str
    carriers: int
    rounds: int
    munition: str
    calibrate: bool
    sources: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return self.rounds / self.carriers


@dataclass(frozen=True, slots=True)
class Analysis:
    """A published analysis giving rounds per carrier (``per_carrier_*``) or a mass per round (``kg_per_round``)."""

    id: str
    actor: str
    description: str
    applies_to: tuple[str, ...]
    sources: tuple[str, ...]
    carrier: str | None = None
    per_carrier_low: float | None = None
    per_carrier_high: float | None = None
    kg_per_round: float | None = None


@dataclass(frozen=True, slots=True)
class Official:
    label: str
    carrier: str
    reference_munition: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class Empirical:
    label: str
    analyses: tuple[Analysis, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything the estimator knows, validated."""

    munitions: Mapping[str, Munition]
    carriers: Mapping[str, Carrier]
    loading: Loading
    qualifier_factors: Mapping[Qualifier, tuple[float, float]]
    qualifier_basis: str
    official: Official
    empirical: Empirical
    default_container: str
    default_container_sources: tuple[str, ...]
    directory: str

    def munition(self, name: str) -> Munition:
        """The munition called ``name`` (id, alias or calibre phrase); :class:`UsageError` otherwise."""
        found = self.find_munition(name)
        if found is None:
            raise _unknown("munition", name, _names(self.munitions.values()))
        return found

    def carrier(self, name: str) -> Carrier:
        """The carrier called ``name`` (id or alias, singular or plural); :class:`UsageError` otherwise."""
        found = self.find_carrier(name)
        if found is None:
            raise _unknown("carrier", name, _names(self.carriers.values()))
        return found

    def find_munition(self, name: str) -> Munition | None:
        """The munition ``name`` denotes, or None. Falls back on a calibre and kind read from the text."""
        key = lookup_key(name)
        for m in self.munitions.values():
            if key in {lookup_key(m.id), *(lookup_key(a) for a in m.aliases)}:
                return m
        mention = calibre_in(name)
        return self.munition_for_calibre(*mention) if mention else None

    def find_carrier(self, name: str) -> Carrier | None:
        key = lookup_key(name)
        for c in self.carriers.values():
            if key in {lookup_key(c.id), *(lookup_key(a) for a in c.aliases)}:
                return c
        return None

    def carrier_note(self, name: str) -> str | None:
        """Why a size-less "container(s)" is read as the default container; None for other names."""
        if lookup_key(name) not in {lookup_key("container"), lookup_key("shipping container")}:
            return None
        return (
            f"{name!r} read as {self.default_container}: the boxes seen in DPRK-Russia traffic were 20 ft "
            f"({', '.join(self.default_container_sources[:1])}); give '40ft containers' otherwise"
        )

    def munition_for_calibre(self, calibre: int, kind: str | None) -> Munition | None:
        """The munition of this calibre and kind; with no kind, a shell (else the only one of the calibre)."""
        same = [m for m in self.munitions.values() if m.calibre_mm == calibre]
        if kind is not None:
            same_kind = [m for m in same if m.kind == kind]
            return same_kind[0] if same_kind else None
        shells = [m for m in same if m.kind == "shell"]
        if shells:
            return shells[0]
        return same[0] if len(same) == 1 else None

    def calibrating(self, munition_id: str) -> tuple[Statement, ...]:
        """Official statements the per-container ratio of ``munition_id`` is calibrated on."""
        return tuple(s for s in self.official.statements if s.munition == munition_id and s.calibrate)


# -- lookups ----------------------------------------------------------------------------------------

_MILLIMETRE = re.compile(r"millimet(?:re|er)s?|mm\b", re.IGNORECASE)
CALIBRE_PATTERN = re.compile(
    r"(?<![\d.])(\d{2,3})\s*(?:-\s*)?(?:mm|millimet(?:re|er)s?)(?![a-z])|(?<![\d.])(6)\s*-?\s*inch",
    re.IGNORECASE,
)
_KIND_WORDS = {
    "rocket": re.compile(r"\b(rockets?|mrls?|multiple[- ]rocket|grad|launcher rounds?)\b", re.IGNORECASE),
    "mortar": re.compile(r"\b(mortars?|mortar bombs?|mines?)\b", re.IGNORECASE),
}
# "6-inch" is how Korean press renders 152 mm (reference: 152mm_hefrag_projectile aliases).
_INCH_CALIBRES = {6: 152}


def lookup_key(text: str) -> str:
    """Case, spacing, hyphens and a plural "s" removed: "152-mm Shells" and "152mm shell" match."""
    key = _MILLIMETRE.sub("mm", text.strip().lower())
    key = re.sub(r"[^a-z0-9.]+", "", key)
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def calibre_in(text: str) -> tuple[int, str | None] | None:
    """The first calibre a text names and the kind its words suggest: "122mm rockets" → (122, "rocket")."""
    match = CALIBRE_PATTERN.search(text)
    if match is None:
        return None
    calibre = int(match.group(1)) if match.group(1) else _INCH_CALIBRES[int(match.group(2))]
    return calibre, kind_near(text[match.end() : match.end() + 40])


def kind_near(text: str) -> str | None:
    """ "rocket" or "mortar" when the words say so, else None (a shell)."""
    for kind, pattern in _KIND_WORDS.items():
        if pattern.search(text):
            return kind
    return None


def _names(items: Iterable[Munition | Carrier]) -> dict[str, str]:
    # lookup key → id, over ids and aliases, for close-match suggestions
    names: dict[str, str] = {}
    for item in items:
        for name in (item.id, *item.aliases):
            names.setdefault(lookup_key(name), item.id)
    return names


def _unknown(what: str, name: str, names: dict[str, str]) -> UsageError:
    close = difflib.get_close_matches(lookup_key(name), list(names), n=6, cutoff=0.5)
    ids = list(dict.fromkeys(names[c] for c in close))[:3]
    suggestion = f"did you mean {', '.join(ids)}? " if ids else ""
    return UsageError(f"unknown {what} {name!r}", hint=f"{suggestion}{_LIST_HINT}")


# -- loading and validation -------------------------------------------------------------------------


class _File:
    """One catalogue file being read: every error names the file and the field."""

    def __init__(self, path: Path, data: Any) -> None:
        self.path = path
        self.data = data

    def fail(self, field: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{field}: {problem}", item=str(self.path), hint=_FORMAT_HINT)

    def mapping(self, value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, f"must be a mapping, got {type(value).__name__}")
        return value

    def items(self, value: Any, field: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise self.fail(field, "must be a non-empty list")
        return value

    def text(self, value: Any, field: str, *, optional: bool = False) -> str:
        if value is None and optional:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(field, "must be a non-empty text")
        return " ".join(str(value).split())

    def number(self, value: Any, field: str, *, minimum: float = 0.0, strict: bool = True) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(field, f"must be a number, got {value!r}")
        if value < minimum or (strict and value == minimum):
            raise self.fail(field, f"must be {'above' if strict else 'at least'} {minimum:g}, got {value!r}")
        return float(value)

    def sources(self, value: Any, field: str) -> tuple[str, ...]:
        urls = self.items(value, field)
        for i, url in enumerate(urls):
            if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
                raise self.fail(f"{field}[{i}]", f"must be an http(s) URL, got {url!r}")
        return tuple(urls)

    def names(self, value: Any, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(field, "must be a list")
        return tuple(self.text(v, f"{field}[{i}]") for i, v in enumerate(value))

    def prior(
        self, raw: Any, field: str, *, label: str, unit: str, minimum: float = 0.0, strict: bool = True
    ) -> Prior:
        data = self.mapping(raw, field)
        known = {"low", "high", "point", "sources", "unverified", "note", "label"}
        if extra := sorted(set(data) - known):
            raise self.fail(f"{field}.{extra[0]}", f"unknown key (expected {', '.join(sorted(known))})")
        low = self.number(data.get("low"), f"{field}.low", minimum=minimum, strict=strict)
        high = self.number(data.get("high"), f"{field}.high", minimum=minimum, strict=strict)
        if low > high:
            raise self.fail(field, f"low {low:g} is above high {high:g}")
        point = data.get("point")
        if point is not None:
            point = self.number(point, f"{field}.point", minimum=minimum, strict=strict)
            if not low <= point <= high:
                raise self.fail(f"{field}.point", f"{point:g} is outside {low:g}-{high:g}")
        unverified = data.get("unverified", False)
        if not isinstance(unverified, bool):
            raise self.fail(f"{field}.unverified", "must be true or false")
        note = self.text(data.get("note"), f"{field}.note", optional=not unverified) or None
        return Prior(
            name=field,
            label=self.text(data["label"], f"{field}.label") if "label" in data else label,
            unit=unit,
            low=low,
            high=high,
            point=point,
            sources=self.sources(data.get("sources"), f"{field}.sources"),
            unverified=unverified,
            note=note,
        )


def _read(directory: Path, name: str) -> _File:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(
            f"cannot read ({exc.strerror})", item=str(path), hint="reinstall armsledger or restore the file"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise CatalogueError(
            f"{where}YAML does not parse ({getattr(exc, 'problem', None) or exc})",
            item=str(path),
            hint=_FORMAT_HINT,
        ) from None
    file = _File(path, data)
    top = file.mapping(data, "(top level)")
    if top.get("version") != CATALOGUE_VERSION:
        raise file.fail("version", f"must be {CATALOGUE_VERSION}, got {top.get('version')!r}")
    return file


def _munition(file: _File, raw: Any, index: int) -> Munition:
    data = file.mapping(raw, f"munitions[{index}]")
    mid = file.text(data.get("id"), f"munitions[{index}].id")
    at = f"munitions.{mid}"
    kind = file.text(data.get("kind"), f"{at}.kind")
    if kind not in MUNITION_KINDS:
        raise file.fail(f"{at}.kind", f"must be one of {', '.join(MUNITION_KINDS)}, got {kind!r}")
    calibre = file.number(data.get("calibre_mm"), f"{at}.calibre_mm")
    name = file.text(data.get("name"), f"{at}.name")

    def prior(key: str, label: str, unit: str) -> Prior:
        return file.prior(data.get(key), f"{mid}.{key}", label=f"{mid} {label}", unit=unit)

    separate = [k for k in ("complete_round_mass_kg", "charge_volume_m3") if data.get(k) is not None]
    if len(separate) == 1:
        raise file.fail(f"{at}", "complete_round_mass_kg and charge_volume_m3 go together (separate loading)")
    munition = Munition(
        id=mid,
        name=name,
        kind=kind,
        calibre_mm=int(calibre),
        ref=file.text(data.get("ref"), f"{at}.ref"),
        aliases=file.names(data.get("aliases"), f"{at}.aliases"),
        note=file.text(data.get("note"), f"{at}.note", optional=True) or None,
        mass=prior(
            "mass_kg", {"shell": "projectile", "rocket": "rocket", "mortar": "bomb"}[kind] + " mass", "kg"
        ),
        packaging=prior("packaging_mass_factor", "packaging mass factor", "×"),
        packed_volume=prior("packed_volume_m3", "packed volume per round", "m³"),
        packed_length=prior("packed_length_m", "box length", "m"),
        complete_round_mass=prior("complete_round_mass_kg", "complete round mass (with charge)", "kg")
        if separate
        else None,
        charge_volume=prior("charge_volume_m3", "packed volume per charge", "m³") if separate else None,
    )
    if munition.complete_round_mass and munition.complete_round_mass.low < munition.mass.low:
        raise file.fail(f"{mid}.complete_round_mass_kg.low", "is below the projectile mass")
    return munition


def _carrier(file: _File, raw: Any, index: int) -> Carrier:
    data = file.mapping(raw, f"carriers[{index}]")
    cid = file.text(data.get("id"), f"carriers[{index}].id")
    at = f"carriers.{cid}"

    def prior(key: str, label: str, unit: str) -> Prior | None:
        if data.get(key) is None:
            return None
        return file.prior(data[key], f"{cid}.{key}", label=f"{cid} {label}", unit=unit)

    holds = None
    if data.get("holds") is not None:
        h = file.mapping(data["holds"], f"{at}.holds")
        holds = Holding(
            carrier=file.text(h.get("carrier"), f"{at}.holds.carrier"),
            count=file.prior(h.get("count"), f"{cid}.holds.count", label=f"{cid} carriers held", unit=""),
        )
    carrier = Carrier(
        id=cid,
        name=file.text(data.get("name"), f"{at}.name"),
        ref=file.text(data.get("ref"), f"{at}.ref"),
        aliases=file.names(data.get("aliases"), f"{at}.aliases"),
        note=file.text(data.get("note"), f"{at}.note", optional=True) or None,
        payload=prior("payload_kg", "payload limit", "kg"),
        internal_volume=prior("internal_volume_m3", "internal volume", "m³"),
        internal_length=prior("internal_length_m", "internal length", "m"),
        holds=holds,
    )
    if holds is None and (carrier.payload is None or carrier.internal_volume is None):
        raise file.fail(at, "needs payload_kg and internal_volume_m3, or holds")
    return carrier


def _loading(file: _File) -> Loading:
    data = file.mapping(file.data.get("loading"), "loading")

    def share(key: str, label: str) -> Prior:
        p = file.prior(data.get(key), f"loading.{key}", label=label, unit="share", strict=False)
        if p.high > 1:
            raise file.fail(f"loading.{key}.high", f"is a share and must be at most 1, got {p.high:g}")
        return p

    loading = Loading(
        utilisation=share("utilisation", "share of the payload limit loaded"),
        stowage=share("stowage", "share of the internal volume filled"),
        munition_share=share("munition_share", "share of carriers holding munitions"),
        charge_share=share("charge_share", "share of propelling charges carried along"),
    )
    for key in ("utilisation", "stowage", "munition_share"):
        if getattr(loading, key).low == 0:
            raise file.fail(f"loading.{key}.low", "must be above 0 (nothing would be carried)")
    return loading


def _qualifiers(file: _File) -> tuple[dict[Qualifier, tuple[float, float]], str]:
    data = file.mapping(file.data.get("qualifiers"), "qualifiers")
    factors = file.mapping(data.get("factors"), "qualifiers.factors")
    result: dict[Qualifier, tuple[float, float]] = {}
    for q in Qualifier:
        if q is Qualifier.RANGE:
            continue  # a range is drawn between its own ends
        pair = factors.get(q.value)
        field = f"qualifiers.factors.{q.value}"
        if not isinstance(pair, list) or len(pair) != 2:
            raise file.fail(field, "must be a [low, high] pair of factors")
        low, high = (file.number(v, field) for v in pair)
        if low > high:
            raise file.fail(field, f"low {low:g} is above high {high:g}")
        result[q] = (low, high)
    if extra := sorted(set(factors) - {q.value for q in result}):
        raise file.fail(f"qualifiers.factors.{extra[0]}", "is not a qualifier")
    return result, file.text(data.get("basis"), "qualifiers.basis")


def _official(file: _File) -> Official:
    data = file.mapping(file.data.get("official"), "official")
    statements = []
    for i, raw in enumerate(file.items(data.get("statements"), "official.statements")):
        s = file.mapping(raw, f"official.statements[{i}]")
        at = f"official.statements[{i}]"
        calibrate = s.get("calibrate")
        if not isinstance(calibrate, bool):
            raise file.fail(f"{at}.calibrate", "must be true or false")
        statements.append(
            Statement(
                id=file.text(s.get("id"), f"{at}.id"),
                date=file.text(s.get("date"), f"{at}.date"),
                actor=file.text(s.get("actor"), f"{at}.actor"),
                carriers=int(file.number(s.get("carriers"), f"{at}.carriers")),
                rounds=int(file.number(s.get("rounds"), f"{at}.rounds")),
                munition=file.text(s.get("munition"), f"{at}.munition"),
                calibrate=calibrate,
                sources=file.sources(s.get("sources"), f"{at}.sources"),
            )
        )
    return Official(
        label=file.text(data.get("label"), "official.label"),
        carrier=file.text(data.get("carrier"), "official.carrier"),
        reference_munition=file.text(data.get("reference_munition"), "official.reference_munition"),
        statements=tuple(statements),
    )


def _analysis(file: _File, raw: Any, i: int) -> Analysis:
    a = file.mapping(raw, f"empirical.analyses[{i}]")
    at = f"empirical.analyses[{i}]"
    base: dict[str, Any] = {
        "id": file.text(a.get("id"), f"{at}.id"),
        "actor": file.text(a.get("actor"), f"{at}.actor"),
        "description": file.text(a.get("description"), f"{at}.description"),
        "applies_to": file.names(a.get("applies_to"), f"{at}.applies_to"),
        "sources": file.sources(a.get("sources"), f"{at}.sources"),
    }
    if not base["applies_to"]:
        raise file.fail(f"{at}.applies_to", "must list at least one munition")
    if a.get("tonnes") is not None:
        tonnes = file.number(a.get("tonnes"), f"{at}.tonnes")
        rounds = file.number(a.get("rounds"), f"{at}.rounds")
        return Analysis(**base, kg_per_round=tonnes * 1000 / rounds)
    carrier = file.text(a.get("carrier"), f"{at}.carrier")
    if a.get("carriers") is not None:
        carriers = file.number(a.get("carriers"), f"{at}.carriers")
        low = file.number(a.get("rounds_low"), f"{at}.rounds_low") / carriers
        high = file.number(a.get("rounds_high"), f"{at}.rounds_high") / carriers
    else:
        low = file.number(a.get("per_carrier_low"), f"{at}.per_carrier_low")
        high = file.number(a.get("per_carrier_high"), f"{at}.per_carrier_high")
    if low > high:
        raise file.fail(at, f"low {low:g} per carrier is above high {high:g}")
    return Analysis(**base, carrier=carrier, per_carrier_low=low, per_carrier_high=high)


def _unique(file: _File, field: str, owners: Sequence[tuple[str, Sequence[str]]]) -> None:
    seen: dict[str, str] = {}
    for owner, names in owners:
        for name in (owner, *names):
            key = lookup_key(name)
            if seen.get(key, owner) != owner:
                raise file.fail(f"{field}.{owner}", f"name {name!r} is also used by {seen[key]}")
            seen[key] = owner


def _check_references(cat: Catalogue, files: Mapping[str, _File]) -> None:
    carriers_file, conventions = files["carriers.yaml"], files["conventions.yaml"]
    for c in cat.carriers.values():
        if c.holds is not None:
            held = cat.carriers.get(c.holds.carrier)
            if held is None or held.holds is not None:
                raise carriers_file.fail(
                    f"carriers.{c.id}.holds.carrier",
                    f"{c.holds.carrier!r} is not a carrier with its own cargo space",
                )
    if cat.default_container not in cat.carriers:
        raise carriers_file.fail("default_container", f"{cat.default_container!r} is not a carrier")
    official = cat.official
    if official.carrier not in cat.carriers:
        raise conventions.fail("official.carrier", f"{official.carrier!r} is not a carrier")
    if official.reference_munition not in cat.munitions:
        raise conventions.fail("official.reference_munition", f"{official.reference_munition!r} is unknown")
    if not cat.calibrating(official.reference_munition):
        raise conventions.fail("official.statements", "none calibrates the reference munition")
    for s in official.statements:
        if s.munition not in cat.munitions:
            raise conventions.fail(f"official.statements.{s.id}.munition", f"{s.munition!r} is unknown")
    for a in cat.empirical.analyses:
        for m in a.applies_to:
            if m not in cat.munitions:
                raise conventions.fail(f"empirical.analyses.{a.id}.applies_to", f"{m!r} is unknown")
        if a.carrier is not None and a.carrier not in cat.carriers:
            raise conventions.fail(f"empirical.analyses.{a.id}.carrier", f"{a.carrier!r} is unknown")


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Read and validate the catalogue in ``directory`` (default: the one shipped with armsledger).

    The shipped catalogue is read once per process; a directory given explicitly is read every time.
    """
    if directory is None:
        return _shipped()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _shipped() -> Catalogue:
    return _load(Path(str(resources.files("armsledger.estimate") / "catalogue")))


def _load(directory: Path) -> Catalogue:
    files = {name: _read(directory, name) for name in CATALOGUE_FILES}
    mfile, cfile, lfile, vfile = (files[n] for n in CATALOGUE_FILES)
    munitions = [
        _munition(mfile, raw, i)
        for i, raw in enumerate(mfile.items(mfile.data.get("munitions"), "munitions"))
    ]
    carriers = [
        _carrier(cfile, raw, i) for i, raw in enumerate(cfile.items(cfile.data.get("carriers"), "carriers"))
    ]
    for file, field, ids in (
        (mfile, "munitions", [m.id for m in munitions]),
        (cfile, "carriers", [c.id for c in carriers]),
    ):
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            raise file.fail(f"{field}.{dupes[0]}", "id is used twice")
    _unique(mfile, "munitions", [(m.id, m.aliases) for m in munitions])
    _unique(cfile, "carriers", [(c.id, c.aliases) for c in carriers])
    factors, basis = _qualifiers(vfile)
    empirical = vfile.mapping(vfile.data.get("empirical"), "empirical")
    analyses = vfile.items(empirical.get("analyses"), "empirical.analyses")
    catalogue = Catalogue(
        munitions={m.id: m for m in munitions},
        carriers={c.id: c for c in carriers},
        loading=_loading(lfile),
        qualifier_factors=factors,
        qualifier_basis=basis,
        official=_official(vfile),
        empirical=Empirical(
            label=vfile.text(empirical.get("label"), "empirical.label"),
            analyses=tuple(_analysis(vfile, raw, i) for i, raw in enumerate(analyses)),
        ),
        default_container=cfile.text(cfile.data.get("default_container"), "default_container"),
        default_container_sources=cfile.sources(
            cfile.data.get("default_container_sources"), "default_container_sources"
        ),
        directory=str(directory),
    )
    _check_references(catalogue, files)
    return catalogue
