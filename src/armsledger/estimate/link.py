"""The ledger link: conversions found in a stored document become stored, re-runnable estimates.

A conversion is an estimated ammunition claim (the extractor marks "if those containers carried 152mm
shells, over 12 million" with ``estimated: true``) paired with the shipment claim of the same flow
(supplier and recipient) nearest to it in the text whose item is a catalogue carrier. The cargo comes
from the ammunition claim's item, else from the calibre(s) the text names next to the converted figure
(a list of several gives an equal-share mix, flagged as assumed), else the official reference munition
(flagged as assumed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from armsledger.errors import UsageError
from armsledger.estimate.catalogue import CALIBRE_PATTERN, Catalogue, calibre_in, kind_near
from armsledger.estimate.query import (
    Conversion,
    Count,
    EstimateQuery,
    MixShare,
    single,
    validate_carriers,
    validate_rounds,
)
from armsledger.estimate.result import EstimateResult, run_estimate
from armsledger.models import Category, Claim, Qualifier, Quantity
from armsledger.store import Ledger, NewEstimate, SaveState, StoredClaim, StoredEstimate

# A figure in the text matches the converted quantity when within 0.5%, the tolerance score.py uses
# to match quantities ("12 million" vs 12,000,000; "3.0 million" vs 3,000,000).
FIGURE_TOLERANCE = 0.005
_FIGURE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(million|billion|thousand|mn|bn|m|k)?(?![a-z])",
    re.IGNORECASE,
)
_FIGURE_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
# A calibre named within this many characters after the converted figure (or after the previous
# calibre of a list) describes it: "5 million rounds of 122mm and 152mm ammunition and 122mm rockets".
FOLLOWING_REACH = 40
_SENTENCE_END = re.compile(r"[.!?;](?:\s+|$)")


@dataclass(frozen=True, slots=True)
class Cargo:
    """What the carriers of a conversion held, how that was found, and whether it was assumed."""

    mix: tuple[MixShare, ...]
    basis: str
    assumed: bool


@dataclass(frozen=True, slots=True)
class ConversionPair:
    """A shipment claim and the estimated ammunition claim converted from it, with the resolved cargo."""

    document_id: str
    carrier_claim_id: str
    ammunition_claim_id: str
    carrier_claim: Claim
    ammunition_claim: Claim
    carrier: str  # catalogue id
    cargo: Cargo


def _count(quantity: Quantity) -> Count:
    if quantity.value is None and quantity.low is not None and quantity.high is not None:
        return Count(
            value=None, qualifier=Qualifier.RANGE, low=float(quantity.low), high=float(quantity.high)
        )
    central = quantity.central
    assert central is not None
    qualifier = quantity.qualifier if quantity.qualifier not in (None, Qualifier.RANGE) else Qualifier.EXACT
    return Count(value=central, qualifier=qualifier)


def _gap(a: Claim, b: Claim) -> int:
    if a.span is None or b.span is None:
        return 10**9
    return max(0, max(a.span.start, b.span.start) - min(a.span.end, b.span.end))


def _figures(text: str, targets: Sequence[float]) -> list[int]:
    """Offsets of the numbers in ``text`` equal (within tolerance) to one of ``targets``."""
    hits = []
    for match in _FIGURE.finditer(text):
        digits, decimals, scale = match.groups()
        value = float(digits.replace(",", "") + (f".{decimals}" if decimals else ""))
        value *= _FIGURE_SCALES.get((scale or "").lower(), 1.0)
        if any(t and abs(value - t) <= FIGURE_TOLERANCE * t for t in targets):
            hits.append(match.start())
    return hits


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    return (0 if start < 0 else start + 2), (len(text) if end < 0 else end)


def _sentence_start(text: str, offset: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, offset)]
    return ends[-1] if ends else 0


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    munition: str | None


def _mentions(catalogue: Catalogue, text: str) -> list[_Mention]:
    found = list(CALIBRE_PATTERN.finditer(text))
    mentions = []
    for i, match in enumerate(found):
        calibre = calibre_in(match.group(0))
        # The kind ("rockets", "mortar bombs") follows the calibre, before the next calibre is named.
        stop = min(match.end() + 40, found[i + 1].start() if i + 1 < len(found) else len(text))
        munition = (
            catalogue.munition_for_calibre(calibre[0], kind_near(text[match.start() : stop]))
            if calibre
            else None
        )
        mentions.append(_Mention(match.start(), match.end(), munition.id if munition else None))
    return mentions


def _cargo_near(catalogue: Catalogue, text: str, targets: Sequence[float]) -> Cargo | None:
    """The cargo ``text`` names for the converted figure.

    In the figure's sentence: the calibre named last before it ("if they held 152mm shells, 3 million
    rounds"), else the list of calibres right after it ("5 million rounds of 122mm and 152mm ammunition
    and 122mm rockets": equal shares, flagged as assumed); failing those, the calibre named nearest
    before the figure, else the first named.
    """
    mentions = [m for m in _mentions(catalogue, text) if m.munition is not None]
    if not mentions:
        return None
    figures = _figures(text, targets)
    if figures:
        at = figures[0]
        sentence = _sentence_start(text, at)
        before = [m for m in mentions if sentence <= m.start < at]
        if before:
            return _named(text, before[-1])
        listed: list[_Mention] = []
        stop = _SENTENCE_END.search(text, at)
        sentence_end = stop.start() if stop else len(text)
        # A range gives two figures ("4.2 million and 5.8 million rounds of ..."): the list follows the last.
        last = max(f for f in figures if f < sentence_end)
        reach = last + FOLLOWING_REACH
        for m in mentions:
            if at < m.start <= min(reach, sentence_end):
                listed.append(m)
                reach = m.end + FOLLOWING_REACH
        kinds = list(dict.fromkeys(m.munition for m in listed if m.munition))
        if len(kinds) == 1:
            return _named(text, listed[0])
        if kinds:
            share = 1 / len(kinds)
            return Cargo(
                tuple(MixShare(k, share) for k in kinds),
                f"several munitions named ({', '.join(kinds)}): equal shares of carriers assumed",
                assumed=True,
            )
        earlier = [m for m in mentions if m.start < at]
        if earlier:
            return _named(text, earlier[-1])
    return _named(text, mentions[0])


def _named(text: str, mention: _Mention) -> Cargo:
    assert mention.munition is not None
    return Cargo(
        single(mention.munition), f"{text[mention.start : mention.end]!r} named in the text", assumed=False
    )


def resolve_cargo(catalogue: Catalogue, text: str, ammunition: Claim, carrier: Claim) -> Cargo:
    """What the carriers of a conversion held: from the claim's item, the text, or assumed."""
    found = catalogue.find_munition(ammunition.item)
    if found is not None:
        return Cargo(single(found.id), f"claim item {ammunition.item!r}", assumed=False)
    q = ammunition.quantity
    targets = [float(x) for x in (q.value, q.low, q.high) if x is not None]
    windows = [ammunition.evidence]
    for claim in (carrier, ammunition):
        if claim.span is not None and text:
            start, end = _paragraph(text, claim.span.start)
            windows.append(text[start:end])
    for window in windows:
        cargo = _cargo_near(catalogue, window, targets)
        if cargo is not None:
            return cargo
    reference = catalogue.official.reference_munition
    return Cargo(
        single(reference),
        f"no calibre named: assumed {reference}, as the official convention does",
        assumed=True,
    )


def conversion_pairs(catalogue: Catalogue, text: str, stored: Sequence[StoredClaim]) -> list[ConversionPair]:
    """Every (shipment claim, estimated ammunition claim) conversion among one document's claims."""
    carriers = [
        s
        for s in stored
        if s.claim.category is Category.SHIPMENT
        and s.claim.quantity.central
        and s.claim.quantity.unit is None
        and catalogue.find_carrier(s.claim.item) is not None
    ]
    pairs: list[ConversionPair] = []
    for ammo in stored:
        a = ammo.claim
        if (
            a.category is not Category.AMMUNITION
            or not a.estimated
            or not a.quantity.central
            or a.quantity.unit
        ):
            continue
        same_flow = [
            c for c in carriers if (c.claim.supplier, c.claim.recipient) == (a.supplier, a.recipient)
        ]
        if not same_flow:
            continue
        nearest = min(same_flow, key=lambda c: _gap(c.claim, a))  # ties: the first in text order
        cargo = resolve_cargo(catalogue, text, a, nearest.claim)
        carrier = catalogue.find_carrier(nearest.claim.item)
        assert carrier is not None
        pairs.append(
            ConversionPair(
                document_id=ammo.document_id,
                carrier_claim_id=nearest.claim_id,
                ammunition_claim_id=ammo.claim_id,
                carrier_claim=nearest.claim,
                ammunition_claim=a,
                carrier=carrier.id,
                cargo=cargo,
            )
        )
    return pairs


def pair_inputs(pair: ConversionPair, *, draws: int, seed: int) -> dict[str, Any]:
    """The JSON inputs stored with a pair's estimate (enough to re-run it without the document)."""
    return {
        "carrier_claim_id": pair.carrier_claim_id,
        "ammunition_claim_id": pair.ammunition_claim_id,
        "carrier": {
            "id": pair.carrier,
            "item": pair.carrier_claim.item,
            **_count(pair.carrier_claim.quantity).to_dict(),
        },
        "ammunition": {
            "item": pair.ammunition_claim.item,
            **_count(pair.ammunition_claim.quantity).to_dict(),
        },
        "mix": [{"munition": m.munition, "share": m.share} for m in pair.cargo.mix],
        "munition_basis": pair.cargo.basis,
        "munition_assumed": pair.cargo.assumed,
        "draws": draws,
        "seed": seed,
    }


def _stored_count(data: dict[str, Any]) -> Count:
    return Count(
        value=data.get("value"),
        qualifier=Qualifier(data.get("qualifier") or Qualifier.EXACT.value),
        low=data.get("low"),
        high=data.get("high"),
    )


def query_from_inputs(
    catalogue: Catalogue,
    inputs: dict[str, Any],
    *,
    draws: int | None = None,
    seed: int | None = None,
    mix: Sequence[MixShare] | None = None,
) -> tuple[EstimateQuery, Conversion]:
    """The query and reported conversion of stored ``inputs``; ``draws``/``seed``/``mix`` override them."""
    try:
        carrier = catalogue.carrier(inputs["carrier"]["id"]).id
        cargo = (
            tuple(mix)
            if mix
            else tuple(
                MixShare(catalogue.munition(m["munition"]).id, float(m["share"])) for m in inputs["mix"]
            )
        )
        carriers = validate_carriers(_stored_count(inputs["carrier"]))
        rounds = validate_rounds(_stored_count(inputs["ammunition"]))
        query = EstimateQuery(
            count=carriers,
            carrier=carrier,
            mix=cargo,
            draws=int(draws if draws is not None else inputs["draws"]),
            seed=int(seed if seed is not None else inputs["seed"]),
            notes=tuple(
                n
                for n in (
                    None if mix else f"munition: {inputs.get('munition_basis')}",
                    catalogue.carrier_note(str(inputs["carrier"].get("item", ""))),
                )
                if n
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(
            f"the stored estimate's inputs are incomplete ({type(exc).__name__}: {exc})",
            hint="re-ingest the document to recompute its estimates",
        ) from None
    munition = cargo[0].munition if len(cargo) == 1 else None
    return query, Conversion(carriers=carriers, carrier=carrier, rounds=rounds, munition=munition)


def estimate_pair(
    catalogue: Catalogue, pair: ConversionPair, *, draws: int, seed: int, max_bytes: int | None = None
) -> tuple[dict[str, Any], EstimateResult]:
    """Inputs and result of one pair's estimate (with the check of its reported conversion)."""
    inputs = pair_inputs(pair, draws=draws, seed=seed)
    query, conversion = query_from_inputs(catalogue, inputs)
    return inputs, run_estimate(catalogue, query, conversion=conversion, max_bytes=max_bytes)


def store_document_estimates(
    ledger: Ledger, catalogue: Catalogue, document_id: str, *, draws: int, seed: int
) -> list[tuple[int, SaveState]]:
    """Find the conversions of a stored document and store an estimate for each (idempotent)."""
    document = ledger.get_document(document_id)
    if document is None:
        return []
    saved = []
    for pair in conversion_pairs(catalogue, document.text, ledger.document_claims(document.id)):
        inputs, result = estimate_pair(catalogue, pair, draws=draws, seed=seed)
        saved.append(
            ledger.save_estimate(
                NewEstimate(
                    document_id=document.id,
                    carrier_claim_id=pair.carrier_claim_id,
                    ammunition_claim_id=pair.ammunition_claim_id,
                    inputs=inputs,
                    result=result.to_dict(),
                )
            )
        )
    return saved


def estimates_for_claim(
    ledger: Ledger, catalogue: Catalogue, claim_id: str, *, draws: int, seed: int
) -> list[StoredEstimate]:
    """The estimates linked to ``claim_id`` (a shipment or ammunition claim).

    A document stored before its conversions were estimated gets them computed and stored first.
    Raises :class:`UsageError` when no claim has that id or it takes part in no conversion.
    """
    stored = ledger.get_claim(claim_id)
    if stored is None:
        raise UsageError(
            f"no claim {claim_id!r} in the ledger",
            hint="list claim ids with `armsledger claims --format json`",
        )
    found = ledger.list_estimates(claim_id=claim_id)
    if not found:
        store_document_estimates(ledger, catalogue, stored.document_id, draws=draws, seed=seed)
        found = ledger.list_estimates(claim_id=claim_id)
    if not found:
        raise UsageError(
            f"claim {claim_id} ({stored.claim.category.value}, {stored.claim.item!r}) is part of no conversion",
            hint="estimates link a shipment claim to an estimated ammunition claim of the same flow in one "
            "report; estimate a count directly with `armsledger estimate N CARRIER --as MUNITION`",
        )
    return found
