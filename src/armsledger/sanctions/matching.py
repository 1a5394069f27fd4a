"""Whether one claim falls under one provision: what it is (vocabulary classes), who sends it to whom
(scope), for whom (end users) and when (the provision's window).

Dates: a claim is placed by its ``time`` (start, else end), else by its report's publication date;
a claim with neither is undated. A claim whose period lies wholly before a provision took effect
(or wholly after it lapsed) is not covered; one that straddles a boundary is covered "partly" and
its confidence is lowered. A start-only period ("since March") is read as the period it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from armsledger.models import Category, Claim
from armsledger.sanctions.records import Provision, Scope, TermSet, Vocabulary, Window
from armsledger.store.records import StoredClaim
from armsledger.store.rows import partial_date_bounds


class Via(StrEnum):
    """How a claim was found to belong to a class (the weaker ways lower the confidence)."""

    CATEGORY = "category"  # its SCHEMA.md category alone
    ITEM = "item"  # a vocabulary word in its item
    EVIDENCE = "evidence"  # a vocabulary word in its evidence sentence only
    ASSUMED = "assumed"  # an assumed word in its item ("oil" read as refined products)


@dataclass(frozen=True, slots=True)
class ClassMatch:
    """A vocabulary class the claim belongs to, how, and the word that decided it."""

    name: str
    via: Via
    term: str | None = None

    def describe(self, category: Category) -> str:
        if self.via is Via.CATEGORY:
            return f"{self.name} (category {category.value})"
        return f"{self.name} ({self.via.value}: {self.term!r})"


def classify(claim: Claim, vocab: Vocabulary) -> dict[str, ClassMatch]:
    """Every goods or personnel class ``claim`` belongs to."""
    found: dict[str, ClassMatch] = {}
    if claim.category is Category.PERSONNEL:
        for person in vocab.personnel.values():
            term = person.terms.search(claim.item)
            if term and not person.exclude.search(claim.item):
                found[person.name] = ClassMatch(person.name, Via.ITEM, term)
        return found
    for goods in vocab.goods.values():
        if goods.exclude.search(claim.item):
            continue
        if claim.category in goods.categories:
            found[goods.name] = ClassMatch(goods.name, Via.CATEGORY)
        elif claim.category in goods.word_categories:
            match = _word_match(
                claim, goods.terms, goods.assumed, claim.category in goods.evidence_categories
            )
            if match is not None:
                found[goods.name] = ClassMatch(goods.name, *match)
    return found


def _word_match(claim: Claim, terms: TermSet, assumed: TermSet, evidence: bool) -> tuple[Via, str] | None:
    if term := terms.search(claim.item):
        return Via.ITEM, term
    if term := assumed.search(claim.item):
        return Via.ASSUMED, term
    # Only the item names a shipment's cargo for sure; the sentence around it is the fallback
    # ("28,000 containers loaded with weapons and ammunition").
    if evidence and (term := terms.search(claim.evidence)):
        return Via.EVIDENCE, term
    return None


def in_scope(scope: Scope, claim: Claim) -> bool:
    """Whether supplier and recipient fit the scope (a state set of None admits any, or none named)."""
    if claim.supplier is not None and claim.supplier == claim.recipient:
        return False  # a state moving its own forces is no transfer
    if scope.involving is not None:
        return claim.supplier in scope.involving or claim.recipient in scope.involving
    if scope.suppliers is not None and claim.supplier not in scope.suppliers:
        return False
    return scope.recipients is None or claim.recipient in scope.recipients


def end_user(scope: Scope, claim: Claim) -> str | None:
    """For a provision aimed at non-state end users: the word in the claim that names one."""
    for text in (claim.item, claim.evidence, claim.location):
        if term := scope.end_user_terms.search(text):
            return term
    return None


class Timing(StrEnum):
    """Where a claim's period falls against a provision's window."""

    INSIDE = "inside"
    PARTLY = "partly"  # straddles the start or the end of the window
    OUTSIDE = "outside"
    UNDATED = "undated"  # no time in the text and no publication date


@dataclass(frozen=True, slots=True)
class Span:
    """The first and last day a claim's movement can fall on, and what they come from."""

    earliest: date | None
    latest: date | None
    source: str  # "time" | "published" | "undated"

    def describe(self) -> str:
        if self.source == "undated":
            return "undated"
        first = self.earliest.isoformat() if self.earliest else "…"
        last = self.latest.isoformat() if self.latest else "…"
        when = first if first == last else f"{first} to {last}"
        return when if self.source == "time" else f"{when} (report date)"


def claim_span(stored: StoredClaim) -> Span:
    """The days the claim's movement can fall on: its time, else its report's publication date."""
    period = stored.claim.time
    if period is not None and (period.start or period.end):
        earliest = partial_date_bounds(period.start)[0] if period.start else None
        latest = partial_date_bounds(period.end)[1] if period.end else partial_date_bounds(period.start)[1]
        if earliest is not None or latest is not None:
            return Span(earliest, latest, "time")
    if stored.document_published is not None:
        return Span(stored.document_published, stored.document_published, "published")
    return Span(None, None, "undated")


def timing(window: Window, span: Span) -> Timing:
    """Whether the span lies inside the window, partly, or outside it."""
    if span.source == "undated":
        return Timing.UNDATED
    if window.start and span.latest and span.latest < window.start:
        return Timing.OUTSIDE
    if window.end and span.earliest and span.earliest > window.end:
        return Timing.OUTSIDE
    starts_before = window.start is not None and (span.earliest is None or span.earliest < window.start)
    ends_after = window.end is not None and (span.latest is None or span.latest > window.end)
    return Timing.PARTLY if starts_before or ends_after else Timing.INSIDE


@dataclass(frozen=True, slots=True)
class Match:
    """A claim covered by a provision: the classes that matched, its end user and its timing."""

    stored: StoredClaim
    classes: tuple[ClassMatch, ...]
    timing: Timing
    span: Span
    interpretive: bool
    end_user: str | None = None


def match(provision: Provision, stored: StoredClaim, classes: Mapping[str, ClassMatch]) -> Match | None:
    """The match of ``stored`` (already classified) against ``provision``, or None if not covered."""
    scope = provision.scope
    if scope is None or not in_scope(scope, stored.claim):
        return None
    hits = tuple(classes[name] for name in scope.classes if name in classes)
    if not hits:
        return None
    user = None
    if scope.end_user_terms.terms:
        user = end_user(scope, stored.claim)
        if user is None:
            return None
    span = claim_span(stored)
    when = timing(provision.window, span)
    if when is Timing.OUTSIDE:
        return None
    # Interpretive only when every class that matched is one the rule marks as an interpretation.
    interpretive = all(hit.name in scope.interpretive for hit in hits)
    return Match(stored, hits, when, span, interpretive, user)
