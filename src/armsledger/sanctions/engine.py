"""The sanctions engine: claims in, findings out.

For each provision of each regime, the claims it covers are grouped by flow (supplier, recipient)
and status; each group is one finding. Occurred claims give a *breach*; expected and pledged claims
give an *intent*; denied claims give nothing (they only lower the confidence of findings on the
flow they deny). Claims the provision covers only by an analyst's reading (troops as arms-related
services) form findings of their own, marked ``basis: interpretation``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from armsledger.models import Status
from armsledger.sanctions.assemble import Context, build_finding
from armsledger.sanctions.caps import evaluate_cap
from armsledger.sanctions.confidence import Grader, heuristic_grade
from armsledger.sanctions.matching import Match, classify, match
from armsledger.sanctions.records import Effect, Finding, FindingKind, Provision, Regime, RuleSet
from armsledger.store.ledger import Ledger
from armsledger.store.records import StoredClaim


def _prohibition(
    provision: Provision, regime: Regime, claims: Sequence[StoredClaim], ctx: Context
) -> list[Finding]:
    groups: dict[tuple[str | None, str | None, Status, bool], list[Match]] = defaultdict(list)
    for stored in claims:
        m = match(provision, stored, ctx.classes[stored.claim_id])
        if m is not None:
            c = stored.claim
            groups[(c.supplier, c.recipient, c.status, m.interpretive)].append(m)
    return [build_finding(provision, regime, key[2], matches, ctx) for key, matches in groups.items()]


def evaluate(
    claims: Sequence[StoredClaim], rules: RuleSet, *, grader: Grader = heuristic_grade
) -> list[Finding]:
    """Every finding the claims give under the rules, most certain breaches of each regime first.

    ``grader`` grades single claims (see :mod:`armsledger.sanctions.confidence`).
    """
    ctx = Context(
        classes={s.claim_id: classify(s.claim, rules.vocabulary) for s in claims},
        grader=grader,
        denied=[s for s in claims if s.claim.status is Status.DENIED],
        grades={},
    )
    active = [s for s in claims if s.claim.status is not Status.DENIED]
    findings: list[Finding] = []
    order: dict[str, int] = {}
    for regime in rules.regimes:
        for provision in regime.provisions:
            order[provision.id] = len(order)
            if provision.effect is Effect.PROHIBITION:
                findings.extend(_prohibition(provision, regime, active, ctx))
            elif provision.effect is Effect.CAP:
                findings.extend(evaluate_cap(provision, regime, active, ctx))
    return sorted(
        findings,
        key=lambda f: (
            order[f.provision.id],
            f.kind is not FindingKind.BREACH,
            -f.confidence,
            f.supplier or "~",
        ),
    )


def evaluate_ledger(ledger: Ledger, rules: RuleSet, *, grader: Grader = heuristic_grade) -> list[Finding]:
    """Findings for every claim in ``ledger``."""
    return evaluate(ledger.list_claims(), rules, grader=grader)
