"""Document-level resolution: context carried across sentences and restatements merged.

- attribution: pronouns and short references ("she said", "the ministry said", "Shin said") resolve to the
  full attributor named earlier; a sentence with no attributor inherits the previous one in its paragraph;
- actors: a sentence naming neither state continues the document's current flow; one naming only one
  state takes the other from the flow when it refers back to it ("the bombs", "ten more", "300 of the ...");
- events: "the handover took place on Tuesday", "they were then moved by rail to ... Tikhoretsk" date and
  place the transfers they refer to;
- restatements: the same figure for the same flow is one claim (first evidence kept, estimate flags joined);
  a reference without a number to a claim already made is not a new claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from armsledger.extract.frames import Candidate, SentenceFrame
from armsledger.extract.lexicon import Lexicon
from armsledger.models import Category, Period, Status

_GOVERNMENT = re.compile(
    r"\b(?:government|cabinet|ministry|president|prime\s+minister|chancellor|defen[cs]e\s+minister|"
    r"foreign\s+minister)\b",
    re.IGNORECASE,
)
_POSSESSIVE_COUNTRY = re.compile(r"\b(?:her|his|their|its|the)\s+(?:own\s+)?country\b", re.IGNORECASE)


@dataclass(slots=True)
class _Flow:
    supplier: str | None = None
    recipient: str | None = None


def resolve_attributions(frames: list[SentenceFrame], lex: Lexicon) -> None:
    """Replace pronoun/short attributions by the full ones; carry attribution inside a paragraph."""
    full: list[str] = []
    prev_para = -1
    prev_attr: str | None = None
    for frame in frames:
        attr = frame.attribution
        if attr is not None and frame.attribution_is_anaphoric:
            attr = _match_earlier(attr, full) or (full[-1] if full else None)
        elif attr is not None and len(attr.split()) <= 2:
            attr = _match_earlier(attr, full) or attr
        if attr is not None and not frame.attribution_is_anaphoric:
            full.append(attr)
        if attr is None and frame.sentence.paragraph == prev_para:
            attr = prev_attr
        frame.attribution = attr
        for cand in frame.candidates:
            cand.attribution = attr
        prev_para = frame.sentence.paragraph
        prev_attr = attr


def _match_earlier(short: str, full: list[str]) -> str | None:
    """ "Shin" -> "South Korean Defence Minister Shin Won-sik"; "the ministry" -> "Israeli defence ministry"."""
    tokens = [t for t in re.findall(r"[\w-]+", short.lower()) if t not in {"the", "a", "an"}]
    if not tokens:
        return None
    for candidate in reversed(full):
        words = re.findall(r"[\w-]+", candidate.lower())
        if tokens[-1] in words and candidate.lower() != short.lower():
            return candidate
    return None


def _person_state(text: str | None, lex: Lexicon) -> str | None:
    if not text:
        return None
    m = lex.person_re.search(text)
    return lex.persons[m.group(1)] if m else None


def _linked(cand: Candidate, earlier: list[Candidate]) -> bool:
    """Does the candidate refer back to what the document already reported?"""
    if cand.definite or cand.virtual or cand.subset or cand.conversion:
        return True
    return any(e.term.item_class == cand.term.item_class for e in earlier)


def resolve_actors(
    frames: list[SentenceFrame], title_flow: tuple[str | None, str | None], lex: Lexicon
) -> None:
    """Fill missing supplier/recipient from the document's running flow."""
    flow = _Flow(*title_flow)
    class_flow: dict[str, _Flow] = {}
    earlier: list[Candidate] = []
    prev_actors: set[str] = set()
    for frame in frames:
        cands = frame.candidates
        nearby = prev_actors | frame.actor_isos
        prev_actors = frame.actor_isos
        if not cands:
            if frame.flow_hint[0] and frame.flow_hint[1]:
                flow = _Flow(*frame.flow_hint)
            continue
        # "her country": the attributor's state.
        if _POSSESSIVE_COUNTRY.search(frame.sentence.text):
            state = _person_state(frame.attribution, lex) or _person_state(frame.sentence.text, lex)
            for c in cands:
                if c.supplier is None and state and state != c.recipient:
                    c.supplier = state
        linked = any(_linked(c, earlier) for c in cands)
        for c in cands:
            if c.subset and c.supplier is None and c.recipient is None:
                ante = next((e for e in reversed(earlier) if e.term.item_class == c.term.item_class), None)
                if ante is not None:
                    c.supplier, c.recipient = ante.supplier, ante.recipient
            # A counter-flow ("In return, Russia was sharing technology with Tehran") does not redirect the
            # missiles mentioned after it: a kind of item already seen keeps its own direction.
            f = class_flow.get(c.term.item_class, flow)
            if c.supplier is None and c.recipient is None:
                c.supplier, c.recipient = f.supplier, f.recipient
            elif c.recipient is None and c.supplier is not None:
                # Reports follow one recipient ("Denmark will send 19 F-16s" in a story about Ukraine).
                if f.recipient != c.supplier:
                    c.recipient = f.recipient
            elif (
                c.supplier is None
                and not c.supplier_explicit  # "NATO's eastern members have given it": a group, left unnamed
                and c.recipient is not None
                and (
                    (linked or f.supplier in nearby)
                    and f.supplier != c.recipient
                    and f.recipient == c.recipient
                )
            ):
                c.supplier = f.supplier
        for c in cands:
            if (
                c.supplier is None
                and c.recipient is not None
                and c.attribution_state not in (None, c.recipient)
                and c.attribution
                and _GOVERNMENT.search(c.attribution)
            ):
                # "The Czech government says 1.5 million shells will be delivered to Ukraine": a government
                # speaking of a transfer with no sender named speaks of its own.
                c.supplier = c.attribution_state
        explicit = next((c for c in cands if c.supplier_explicit and c.recipient_explicit), None)
        if explicit is not None:
            flow = _Flow(explicit.supplier, explicit.recipient)
        elif cands[0].supplier is not None and cands[0].recipient is not None:
            flow = _Flow(cands[0].supplier, cands[0].recipient)
        elif cands[0].recipient_explicit and cands[0].recipient != flow.supplier:
            # "Ukraine has received its first F-16s": the story's recipient, whoever sends.
            flow = _Flow(flow.supplier if flow.supplier != cands[0].recipient else None, cands[0].recipient)
        for c in cands:
            if c.supplier_explicit and c.recipient_explicit and c.supplier and c.recipient:
                class_flow[c.term.item_class] = _Flow(c.supplier, c.recipient)
        earlier.extend(cands)


def apply_events(frames: list[SentenceFrame]) -> None:
    """Dates and destinations of sentences that describe an already reported transfer."""
    reported: list[Candidate] = []
    for frame in frames:
        if not frame.candidates and reported and (frame.event_dates or frame.event_location):
            targets = _event_targets(frame, reported)
            since = next((d for d in frame.event_dates if d.kind == "since"), None)
            date = since or (frame.event_dates[0] if frame.event_dates else None)
            text = frame.sentence.text.lower()
            for c in targets:
                if (
                    date is not None
                    and c.time is None
                    and c.status is Status.OCCURRED
                    and (date.start or date.end)
                ):
                    c.time = Period(date.start, None if since else date.end)
                if frame.event_location and (
                    c.location is None or re.search(r"\b(?:then|later|finally)\b", text)
                ):
                    c.location = frame.event_location
        reported.extend(frame.candidates)


def _event_targets(frame: SentenceFrame, reported: list[Candidate]) -> list[Candidate]:
    classes = frame.event_item_classes
    if classes - {"arms"}:
        return [c for c in reported if c.term.item_class in classes]
    if not frame.event_generic and not classes:
        return []
    text = frame.sentence.text.lower()
    if re.search(r"\b(?:weapons?|arms|munitions?|hardware)\b", text):
        return [c for c in reported if c.category is not Category.PERSONNEL]
    last_sentence = max(c.sentence for c in reported)
    return [c for c in reported if c.sentence == last_sentence]


def _same_source(a: str | None, b: str | None, lex: Lexicon) -> bool:
    """Could two attributions be the same source restating itself? Two named people must share a surname
    ("Petr Fiala" and "President Petr Pavel" are two sources); otherwise half their words must agree."""
    if not a or not b:
        return True
    if lex.person_re.search(a) and lex.person_re.search(b):
        return a.split()[-1].lower() == b.split()[-1].lower()
    ta = set(re.findall(r"[a-z0-9]+", a.lower())) - {"the", "of", "s", "and"}
    tb = set(re.findall(r"[a-z0-9]+", b.lower())) - {"the", "of", "s", "and"}
    return len(ta & tb) >= 0.5 * max(1, min(len(ta), len(tb)))


def _new_assertion(earlier: Candidate, c: Candidate, lex: Lexicon) -> bool:
    """Does a later mention bring its own source and a new date ("Heydari said the Su-35s would arrive by
    March")? SCHEMA counts a different source making its own assertion as another claim."""
    return (
        c.time is not None
        and c.time != earlier.time
        and not _same_source(earlier.attribution, c.attribution, lex)
    )


def _restating(ante: list[Candidate], c: Candidate, lex: Lexicon) -> list[Candidate]:
    """The earlier candidates ``c`` may restate: not a new source's own assertion, and where ``c`` names a
    model ("the Su-35s"), one of that model or of none (not the Yak-130s named in between)."""
    model = _models(c.item)
    return [
        k
        for k in ante
        if not _new_assertion(k, c, lex) and (not model or _models(k.item) & model or not _models(k.item))
    ]


def _models(item: str) -> set[str]:
    """Model designations in an item phrase ("Su-35 fighter jet" -> {"su35"})."""
    return {re.sub(r"\W", "", m).lower() for m in re.findall(r"\b[A-Za-z]+[-\s]?\d+[A-Za-z0-9]*\b", item)}


def _same_quantity(a: Candidate, b: Candidate) -> bool:
    x, y = a.quantity.central, b.quantity.central
    if x is None or y is None:
        return False
    return abs(x - y) <= 0.005 * max(abs(x), abs(y)) and a.quantity.unit == b.quantity.unit


def _absorb(into: Candidate, other: Candidate) -> None:
    into.estimated = into.estimated or other.estimated
    if into.time is None and other.time is not None:
        into.time = other.time
    if into.location is None and other.location is not None:
        into.location = other.location
    if into.attribution is None and other.attribution is not None:
        into.attribution = other.attribution


def _bare(c: Candidate) -> bool:
    """The item phrase is just the lexicon word ("jets", "the systems"), no distinguishing modifier."""
    return c.item.lower().rstrip("s") in {c.term.term.rstrip("s"), c.term.term}


def merge_restatements(cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Keep one candidate per asserted fact (see module docstring)."""
    kept: list[Candidate] = []
    # Within a sentence, numbered mentions first: a bare mention then merges into the counted one.
    cands = sorted(cands, key=lambda c: (c.sentence, c.quantity.is_empty))
    # Claims that absorbed a restatement, by the sentence of that restatement.
    seen_in: dict[int, list[Candidate]] = {}
    for c in cands:
        if c.supplier is None and c.recipient is None:
            continue
        if c.supplier is not None and c.supplier == c.recipient:
            continue
        key = (c.supplier, c.recipient, c.category)
        same_key = [k for k in kept if (k.supplier, k.recipient, k.category) == key]
        if not c.quantity.is_empty:
            dup = next(
                (
                    k
                    for k in same_key
                    if k.status == c.status
                    and _same_quantity(k, c)
                    and (c.status is not Status.DENIED or k.sentence == c.sentence)
                    and (k.sentence == c.sentence or _same_source(k.attribution, c.attribution, lex))
                ),
                None,
            )
            if dup is None and c.virtual:
                # "the first 10 of the 31 tanks": the 31 restates a figure the story already gave.
                dup = next((k for k in same_key if _same_quantity(k, c)), None)
            if dup is not None:
                _absorb(dup, c)
                seen_in.setdefault(c.sentence, []).append(dup)
                continue
            # A number for a thing the same sentence already named without one ("the first shells have
            # arrived ... the consignment amounted to about 50,000 rounds").
            nul = next(
                (
                    k
                    for k in same_key
                    if k.sentence == c.sentence and k.status == c.status and k.quantity.is_empty
                ),
                None,
            )
            if nul is not None:
                kept[kept.index(nul)] = c
                _absorb(c, nul)
                c.evidence_start, c.evidence_end = nul.evidence_start, nul.evidence_end
                continue
            if c.subset or c.conversion or c.virtual:
                parent = next(
                    (k for k in reversed(same_key) if k.category is Category.SHIPMENT or k.subset is False),
                    None,
                )
                shipment = next(
                    (
                        k
                        for k in reversed(kept)
                        if k.category is Category.SHIPMENT
                        and (k.supplier, k.recipient) == (c.supplier, c.recipient)
                    ),
                    None,
                )
                src = shipment if c.conversion and shipment is not None else parent
                if src is not None:
                    if c.time is None and (c.subset or c.conversion):
                        c.time = src.time
                    if c.location is None and c.subset:
                        c.location = src.location
            kept.append(c)
            continue
        # No number.
        same_sentence = [
            k
            for k in same_key
            if (k.sentence == c.sentence or any(k is x for x in seen_in.get(c.sentence, [])))
            and k.status == c.status
        ]
        # The same sentence naming the thing again ("the first shells have arrived ... 50,000 rounds"); a
        # different kind of thing in one list ("machine tools ... microelectronics") stays its own claim.
        similar = [
            k
            for k in same_sentence
            if (
                k.term.item_class == c.term.item_class
                and (not k.quantity.is_empty or c.item.lower() == k.item.lower())
            )
            or (k.term.generic and _bare(k))
            or (c.term.generic and _bare(c))
            or c.definite
        ]
        if similar:
            _absorb(similar[0], c)
            continue
        if c.definite and any(
            k.sentence == c.sentence and k.term.item_class == c.term.item_class and not k.quantity.is_empty
            for k in same_key
        ):
            continue  # "The new launchers bring to 12 the number of HIMARS ...": the counted mention stands
        if c.definite and not c.ordinal:
            # A different named source making its own assertion is another claim (SCHEMA).
            ante = [k for k in same_key if k.status == c.status]
            if not _restating(ante, c, lex) and _bare(c) and c.status is Status.EXPECTED:
                # "the tanks would take time to reach the battlefield" after "would provide 31 M1 Abrams tanks":
                # pledged goods said to be on their way are the pledge again, not a new expectation.
                ante = [
                    k
                    for k in same_key
                    if k.term.item_class == c.term.item_class and k.status is Status.PLEDGED
                ]
            ante = _restating(ante, c, lex)
            if ante:
                _absorb(ante[-1], c)
                continue
            # "The weapons transfers began ..." refers to nothing new; "along with the American soldiers needed
            # to operate it" in a sentence that names both states is a claim of its own.
            if c.term.generic or (not same_key and not (c.supplier_explicit and c.recipient_explicit)):
                continue
        if c.status is not Status.DENIED:
            ante = [
                k
                for k in same_key
                if k.status == c.status
                and (
                    k.item.lower() == c.item.lower()
                    # "a first group of jets" later restates "four MiG-29 fighter jets"; in one sentence a bare
                    # word is a further item of a list ("body armour, helmets and goggles").
                    or (_bare(c) and k.term.item_class == c.term.item_class and k.sentence != c.sentence)
                )
            ]
            ante = _restating(ante, c, lex)
            if c.ordinal == "more":
                ante = []  # "would receive more of the K2s": a further transfer, not the contract again
            if ante:
                _absorb(ante[-1], c)
                continue
        elif any(k.sentence == c.sentence and k.item.lower() == c.item.lower() for k in same_key):
            continue
        kept.append(c)
    return kept
