"""Typed, frozen records of the sanctions stage: rules (regimes, provisions, scopes, caps), the
vocabulary that maps claims onto rule terms, and findings with the claims they rest on."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from armsledger.models import Category, Period, Quantity, Status


class Effect(StrEnum):
    """What a provision does to a transfer it covers."""

    PROHIBITION = "prohibition"  # any covered transfer engages it
    CAP = "cap"  # covered transfers engage it only above a quantity per period
    CONTEXT = "context"  # inspection, asset freezes, committees: recorded, never matched to claims


class Basis(StrEnum):
    """How directly the provision's text reaches the transfer."""

    TEXT = "text"  # the text names this kind of transfer
    INTERPRETATION = "interpretation"  # an analyst's reading (e.g. troops as arms-related "services")
    CATCH_ALL = "catch_all"  # applies when a state judges the item would help prohibited ends


class ParagraphConfidence(StrEnum):
    """How well the operative paragraph number is verified (reference-facts' grading)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class FindingKind(StrEnum):
    """A transfer that happened (breach) or one pledged or planned (intent)."""

    BREACH = "breach"
    INTENT = "intent"


KIND_OF_STATUS: dict[Status, FindingKind] = {
    Status.OCCURRED: FindingKind.BREACH,
    Status.EXPECTED: FindingKind.INTENT,
    Status.PLEDGED: FindingKind.INTENT,
}


@dataclass(frozen=True, slots=True)
class TermSet:
    """Words matched case-insensitively on word boundaries, with an optional plural ending."""

    terms: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, terms: tuple[str, ...]) -> TermSet:
        if not terms:
            return cls()
        # Longest first, so the match reported is the most specific term ("crude oil", not "oil").
        parts = []
        for term in sorted(terms, key=len, reverse=True):
            wildcard = term.endswith("*")
            words = term.rstrip("*").split()
            body = r"[\s-]+".join(re.escape(w) for w in words)
            parts.append(body + (r"\w*" if wildcard else r"(?:s|es)?\b"))
        return cls(terms, re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE))

    def search(self, text: str | None) -> str | None:
        """The first matching term's text in ``text``, or None."""
        if self.pattern is None or not text:
            return None
        found = self.pattern.search(text)
        return found.group(0) if found else None


@dataclass(frozen=True, slots=True)
class Window:
    """The days a provision applies (both ends inclusive; None = open)."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class CapLimit:
    """The most that may be supplied per cap period, in one unit."""

    unit: str
    amount: float


@dataclass(frozen=True, slots=True)
class Cap:
    """A quantity ceiling per period: periods of ``period_months`` counted from ``period_anchor``."""

    limits: tuple[CapLimit, ...]
    period_months: int
    period_anchor: date

    def limit_for(self, unit: str | None) -> CapLimit | None:
        return next((lim for lim in self.limits if lim.unit == unit), None)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which transfers a provision covers. ``None`` for a state set means any state (or none named)."""

    suppliers: frozenset[str] | None = None
    recipients: frozenset[str] | None = None
    involving: frozenset[str] | None = None  # supplier or recipient
    goods: tuple[str, ...] = ()
    personnel: tuple[str, ...] = ()
    interpretive: frozenset[str] = frozenset()  # classes whose match is an interpretation
    # Non-empty for provisions aimed at non-state end users: the claim must name one to be covered.
    end_user_terms: TermSet = field(default_factory=TermSet)

    @property
    def classes(self) -> tuple[str, ...]:
        return (*self.goods, *self.personnel)


@dataclass(frozen=True, slots=True)
class Provision:
    """One operative paragraph (or sub-paragraph) of an instrument, as a rule."""

    id: str
    regime: str
    instrument: str
    resolution: str
    paragraph: str
    paragraph_confidence: ParagraphConfidence
    summary: str
    effect: Effect
    window: Window
    source_urls: tuple[str, ...]
    source: str  # "file:line" of the provision, for messages
    topic: str = ""
    annex: str | None = None  # "B" for a paragraph of Annex B
    paragraph_note: str | None = None
    adopted: date | None = None
    basis: Basis = Basis.TEXT
    scope: Scope | None = None
    cap: Cap | None = None
    contested: bool = False
    contested_note: str | None = None
    exemptions: str | None = None
    superseded_by: str | None = None
    status: str | None = None
    notes: str | None = None

    @property
    def citation(self) -> str:
        """How an analyst cites it: "1874 (2009), para. 9", "2231 (2015), Annex B, para. 4"."""
        annex = f"Annex {self.annex}, " if self.annex else ""
        return f"{self.resolution}, {annex}para. {self.paragraph}"


@dataclass(frozen=True, slots=True)
class Regime:
    """A sanctions regime: a UN committee's measures, or an autonomous (EU, US, UK) set of rules."""

    id: str
    name: str
    authority: str
    provisions: tuple[Provision, ...]
    source_file: str
    source_urls: tuple[str, ...] = ()
    source_line: int | None = None  # line of the ``regime:`` field


@dataclass(frozen=True, slots=True)
class GoodsClass:
    """A class of goods a rule can name (``arms``, ``refined_petroleum`` ...)."""

    name: str
    description: str
    categories: frozenset[Category]
    word_categories: frozenset[Category]
    evidence_categories: frozenset[Category]  # categories whose evidence sentence may supply the word
    terms: TermSet
    assumed: TermSet = field(default_factory=TermSet)
    exclude: TermSet = field(default_factory=TermSet)


@dataclass(frozen=True, slots=True)
class PersonnelClass:
    """A class of people a rule can name (``workers``, ``military`` ...)."""

    name: str
    description: str
    terms: TermSet
    exclude: TermSet = field(default_factory=TermSet)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The goods and personnel classes rules refer to."""

    goods: Mapping[str, GoodsClass]
    personnel: Mapping[str, PersonnelClass]

    @property
    def class_names(self) -> tuple[str, ...]:
        return (*self.goods, *self.personnel)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every regime loaded (built-in UN rules plus the user's folder) and the vocabulary."""

    regimes: tuple[Regime, ...]
    vocabulary: Vocabulary

    def provisions(self) -> Iterator[Provision]:
        for regime in self.regimes:
            yield from regime.provisions

    def regime(self, regime_id: str) -> Regime | None:
        wanted = regime_id.strip().upper()
        return next((r for r in self.regimes if r.id == wanted), None)

    def select(self, regime_ids: tuple[str, ...]) -> RuleSet:
        """Only the named regimes (ids compared case-insensitively); all when none are named."""
        if not regime_ids:
            return self
        wanted = {r.strip().upper() for r in regime_ids}
        return RuleSet(tuple(r for r in self.regimes if r.id in wanted), self.vocabulary)


@dataclass(frozen=True, slots=True)
class ClaimGrade:
    """How much a single claim is to be believed, 0..1, with a grade label and the reasons.

    The heuristic grader fills ``label`` with None; an Admiralty grader would put "B2" there.
    """

    score: float
    label: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConfidenceFactor:
    """One adjustment applied to a finding's confidence, and why."""

    name: str
    multiplier: float
    reason: str


@dataclass(frozen=True, slots=True)
class FindingClaim:
    """A claim a finding rests on, with how it matched the provision and its grade."""

    claim_id: str
    supplier: str | None
    recipient: str | None
    category: Category
    item: str
    quantity: Quantity
    status: Status
    estimated: bool
    time: Period | None
    attribution: str | None
    evidence: str
    document_id: str
    document_title: str | None
    published: date | None
    matched_as: str  # e.g. "arms (category ammunition)", "arms (evidence: 'weapons')"
    when: str  # the days the movement falls on, and whether from its time or its report's date
    grade: ClaimGrade  # from the grader, before the adjustments below
    score: float  # the grade after this claim's match factors
    factors: tuple[ConfidenceFactor, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """A provision engaged by one flow's claims of one status: a breach, or an intent (planned)."""

    provision: Provision
    regime_name: str
    authority: str
    kind: FindingKind
    status: Status
    supplier: str | None
    recipient: str | None
    claims: tuple[FindingClaim, ...]
    confidence: float
    confidence_label: str  # high | moderate | low
    basis: Basis
    factors: tuple[ConfidenceFactor, ...] = ()
    notes: tuple[str, ...] = ()
    denials: tuple[str, ...] = ()  # ids of claims denying this flow (they lower the confidence)

    @property
    def claim_ids(self) -> tuple[str, ...]:
        return tuple(c.claim_id for c in self.claims)

    @property
    def regime(self) -> str:
        return self.provision.regime
