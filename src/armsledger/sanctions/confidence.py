"""How sure a finding is: each claim gets a grade (0..1) from a *grader*, the grades of independent
sources are combined, and the ways the claims matched the rule adjust the result.

The grader is a plug-in: :func:`heuristic_grade` works from what a claim says about itself
(attribution, estimate, status); a NATO Admiralty grader (source reliability A–F, information
credibility 1–6, from ``flows/``) can be passed to :func:`armsledger.sanctions.evaluate` instead,
as any callable ``StoredClaim -> ClaimGrade``.

Every number here is a design choice, not a calibration: there is no graded ground truth yet.
``tests/sanctions/test_confidence.py`` pins the orderings they must produce.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from armsledger.models import Status
from armsledger.sanctions.matching import Match, Timing, Via
from armsledger.sanctions.records import Basis, ClaimGrade, ConfidenceFactor
from armsledger.store.records import StoredClaim

Grader = Callable[[StoredClaim], ClaimGrade]

# Heuristic grade of one claim.
BASE_SCORE = 0.6  # an extracted claim with nothing for or against it
ATTRIBUTED_BONUS = 0.15  # the text names who makes the claim
ESTIMATED_PENALTY = 0.15  # the figure is a hedged estimate or a capacity conversion
INTENT_PENALTY = 0.1  # a plan or pledge: the transfer may never happen
MIN_SCORE, MAX_SCORE = 0.05, 0.95

# Combining sources: a second, independent source adds this share of what it would add alone
# (restatements of one intelligence estimate by several outlets are not fully independent).
CORROBORATION_WEIGHT = 0.5

# How a claim matched (applied to that claim's grade).
EVIDENCE_WORD_FACTOR = 0.85  # the cargo is named only in the sentence, not the item
ASSUMED_WORD_FACTOR = 0.8  # e.g. "oil" read as refined products
PARTLY_IN_WINDOW_FACTOR = 0.75  # the claim's period straddles the provision's start or end
UNDATED_FACTOR = 0.85  # neither a time nor a report date: assumed within the window

# How the provision reaches the transfer (applied to the finding).
BASIS_FACTORS: dict[Basis, float] = {Basis.TEXT: 1.0, Basis.INTERPRETATION: 0.7, Basis.CATCH_ALL: 0.85}
DENIAL_FACTOR = 0.85  # a party denies this flow

HIGH_AT, MODERATE_AT = 0.75, 0.5


def heuristic_grade(stored: StoredClaim) -> ClaimGrade:
    """A grade from the claim itself, until source grading exists (see module docstring)."""
    claim = stored.claim
    score = BASE_SCORE
    reasons = []
    if claim.attribution:
        score += ATTRIBUTED_BONUS
        reasons.append(f"attributed to {claim.attribution}")
    else:
        reasons.append("no attribution in the text")
    if claim.estimated:
        score -= ESTIMATED_PENALTY
        reasons.append("the figure is an estimate")
    if claim.status in (Status.EXPECTED, Status.PLEDGED):
        score -= INTENT_PENALTY
        reasons.append(f"{claim.status.value}, not yet occurred")
    return ClaimGrade(round(min(MAX_SCORE, max(MIN_SCORE, score)), 3), None, tuple(reasons))


def match_factors(m: Match) -> list[ConfidenceFactor]:
    """The adjustments a claim's way of matching brings."""
    factors = []
    if any(c.via is Via.EVIDENCE for c in m.classes) and not any(
        c.via in (Via.CATEGORY, Via.ITEM) for c in m.classes
    ):
        term = next(c.term for c in m.classes if c.via is Via.EVIDENCE)
        factors.append(
            ConfidenceFactor(
                "evidence_word", EVIDENCE_WORD_FACTOR, f"cargo named only in the sentence ({term!r})"
            )
        )
    if any(c.via is Via.ASSUMED for c in m.classes) and not any(
        c.via in (Via.CATEGORY, Via.ITEM) for c in m.classes
    ):
        term = next(c.term for c in m.classes if c.via is Via.ASSUMED)
        factors.append(
            ConfidenceFactor("assumed_item", ASSUMED_WORD_FACTOR, f"{term!r} assumed to be covered")
        )
    if m.timing is Timing.PARTLY:
        factors.append(
            ConfidenceFactor(
                "partly_in_window",
                PARTLY_IN_WINDOW_FACTOR,
                f"the claim's period ({m.span.describe()}) straddles the provision's window",
            )
        )
    elif m.timing is Timing.UNDATED:
        factors.append(ConfidenceFactor("undated", UNDATED_FACTOR, "no date: assumed within the window"))
    return factors


def adjusted(grade: ClaimGrade, factors: Sequence[ConfidenceFactor]) -> float:
    score = grade.score
    for f in factors:
        score *= f.multiplier
    return score


def combine(sources: Sequence[float]) -> float:
    """Best source, plus a damped share of what each further independent source adds."""
    if not sources:
        return 0.0
    ordered = sorted(sources, reverse=True)
    best = ordered[0]
    rest = 1.0
    for s in ordered[1:]:
        rest *= 1.0 - s * CORROBORATION_WEIGHT
    return best + (1.0 - best) * (1.0 - rest)


def source_key(stored: StoredClaim) -> tuple[str, str]:
    """Who asserts a claim: its attributor (however many reports restate it), else its report."""
    attribution = " ".join((stored.claim.attribution or "").lower().split())
    return ("attribution", attribution) if attribution else ("report", stored.document_id)


def confidence_label(score: float) -> str:
    if score >= HIGH_AT:
        return "high"
    return "moderate" if score >= MODERATE_AT else "low"
