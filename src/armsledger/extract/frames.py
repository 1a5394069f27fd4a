"""Transfer frames: bind a sentence's mentions into candidate claims.

A candidate is an item noun phrase governed by a transfer trigger (verb or noun) in its clause, with the
quantity that counts it, the states in supplier and recipient roles, status (occurred / expected / pledged /
denied), the estimate flag, the movement time and the destination. Context from other sentences (actors,
attribution, restatements) is applied later by ``resolve``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from armsledger.extract.dates import DateExpr, find_atoms, find_dates
from armsledger.extract.lexicon import ItemTerm, Lexicon
from armsledger.extract.mentions import (
    Attribution,
    ItemMention,
    StateMention,
    TriggerMention,
    clause_segments,
    find_attributions,
    find_items,
    find_states,
    find_triggers,
)
from armsledger.extract.numbers import QuantityMention, find_quantities
from armsledger.extract.segment import Sentence
from armsledger.models import Category, Period, Qualifier, Quantity, Status

_SOURCE_BEFORE = re.compile(r"\b(?:from|by|of)\s+(?:the\s+)?$", re.IGNORECASE)
_DEST_BEFORE = re.compile(
    r"\b(?:to|into|for|toward|towards|onto)\s+(?:the\s+)?(?:neither\s+|either\s+)?$", re.IGNORECASE
)
_IN_BEFORE = re.compile(r"\b(?:in|at|inside|within)\s+(?:the\s+)?(?:\w+ern\s+)?$", re.IGNORECASE)
_NOR_BEFORE = re.compile(r"\b(?:nor|or|and)\s+(?:the\s+)?$", re.IGNORECASE)
_REGION_AFTER = re.compile(
    r"^\s+(?:region|oblast|province|area|port|base|airbase|air base|district|krai|front)\b", re.I
)
_BARE_VIRTUAL_AFTER = re.compile(
    r"^\s*(?:more\b|in\s+total\b|of\s+(?:them|those|these)\b|(?:it|they|that|which)\s+(?:has|have|had)?\s*\w+|"
    r"[.;]|,|$|the\s+number\s+of\b|(?:in|since|by|during|over|until|last|this|next)\s+(?:\w+\s+)?(?:\d{4}|year|"
    r"month|week|summer|winter|spring|autumn|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|(?:arrived|were|was|have|had|are|is|would|will|could|should|may|might|to\s+be|follow)\b|"
    r"and\b)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Candidate:
    """A claim in the making, before document-level resolution."""

    sentence: int
    paragraph: int
    term: ItemTerm
    item: str
    category: Category
    quantity: Quantity
    status: Status
    estimated: bool
    time: Period | None
    location: str | None
    attribution: str | None
    attribution_is_anaphoric: bool
    supplier: str | None
    recipient: str | None
    supplier_explicit: bool
    recipient_explicit: bool
    evidence_start: int  # document offsets
    evidence_end: int
    definite: bool
    ordinal: str | None
    subset: bool
    virtual: bool
    conversion: bool
    position: int  # document offset of the item, for ordering
    quantity_inherited: bool = False
    attribution_state: str | None = None  # the one state named inside the attribution, if any


@dataclass(slots=True)
class SentenceFrame:
    """What one sentence contributes: its candidates and the context it sets for later sentences."""

    sentence: Sentence
    candidates: list[Candidate]
    attribution: str | None
    attribution_is_anaphoric: bool
    states: list[StateMention]
    event_dates: list[DateExpr] = field(default_factory=list)  # dates of a referenced transfer event
    event_location: str | None = None
    event_item_classes: set[str] = field(default_factory=set)
    event_generic: bool = False
    items: list[ItemMention] = field(default_factory=list)
    actor_isos: set[str] = field(default_factory=set)  # states named outside the attribution
    flow_hint: tuple[str | None, str | None] = (None, None)  # (source, destination) around a trigger


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _segment_of(pos: int, segments: list[tuple[int, int]]) -> int:
    for i, (a, b) in enumerate(segments):
        if a <= pos < b:
            return i
    return len(segments) - 1


_NUMBER_WORD_RE = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|a\s+dozen|dozen"
)
_GAP_STOP = frozenset(
    [
        "of",
        "to",
        "for",
        "from",
        "the",
        "and",
        "or",
        "in",
        "by",
        "with",
        "a",
        "an",
        "were",
        "was",
        "had",
        "have",
        "has",
        "are",
        "is",
        "that",
        "which",
    ]
)


def _counts_across(gap: str) -> bool:
    """Can a number count the item after this gap? Modifiers may sit between ("120 M1989 Koksan 170mm
    guns"), and so may a coordinated modifier ("4.2 million artillery and rocket rounds")."""
    # A calibre written apart ("184,000 155 mm rounds") is a modifier, not a second count.
    gap = re.sub(r"\b\d+(?:\.\d+)?\s?-?(?:mm|millimet(?:re|er)s?)\b", " calibre ", gap, flags=re.IGNORECASE)
    words = gap.split()
    if len(words) > 5 or "," in gap or not re.fullmatch(r"[\s\w.'’-]*", gap):
        return False
    for i, w in enumerate(words):
        low = w.lower()
        if low in ("and", "or") and 0 < i < len(words) and words[i - 1].lower() not in _GAP_STOP:
            continue
        if low in _GAP_STOP or re.fullmatch(r"[\d,.]+", low):
            return False
    return True


def _bind_quantities(
    text: str,
    items: list[ItemMention],
    quantities: list[QuantityMention],
    lex: Lexicon,
    states: list[StateMention] | None = None,
) -> dict[int, QuantityMention]:
    """Map item index -> the quantity counting it; bare numbers become virtual items."""
    bound: dict[int, QuantityMention] = {}
    for q in quantities:
        if q.kind not in ("count", "unit"):
            continue
        after = text[q.unit_end if q.kind == "unit" else q.end :]
        if re.search(r"\b(?:cap|ceiling|limit|quota|threshold)\s+of\s*$", text[: q.start], re.IGNORECASE):
            continue
        prev_word = re.search(r"([\w-]+)\s*$", text[: q.start])
        if prev_word and (
            prev_word.group(1).lower()
            in {"block", "mark", "mk", "type", "model", "version", "series", "phase"}
            or (prev_word.group(1)[:1].isupper() and prev_word.group(1).lower() in lex.items)
        ):
            continue  # "Leopard 2", "Challenger 2", "Block 70": part of a model name
        target = None
        if q.kind == "unit":
            nxt = next((i for i, it in enumerate(items) if it.start >= q.unit_end), None)
            if nxt is not None and re.fullmatch(
                r"\s+of\s+(?:[\w-]+\s+){0,3}", text[q.unit_end : items[nxt].start]
            ):
                target = nxt
            else:
                prev = [i for i, it in enumerate(items) if it.end <= q.start and i not in bound]
                target = prev[-1] if prev else None
            if target is not None:
                bound[target] = q
            continue
        # "300 of the containers", "14 of the Soviet-designed jets": a subset of a named item.
        sub = re.match(r"^\s+of\s+(?:the|those|these|its|their|his|her|our)\s+", after)
        for i, it in enumerate(items):
            if it.start < q.end:
                continue
            gap = text[q.end : it.start]
            if i in bound:
                # A second number for the same noun ("300,000 of the one million shells it promised"): its own
                # claim, as a copy of the item at the number.
                if _counts_across(gap) and not sub:
                    items.append(
                        ItemMention(
                            start=q.start,
                            end=it.end,
                            head_start=it.head_start,
                            term=it.term,
                            phrase=it.phrase,
                            modifier_states=list(it.modifier_states),
                            virtual=True,
                        )
                    )
                    target = len(items) - 1
                break
            if (
                sub
                and len(gap) <= sub.end() + 40
                and re.fullmatch(
                    r"\s+of\s+(?:the|those|these|its|their|his|her|our)"
                    r"\s+(?:[\w-]+\s+){0,3}",
                    gap,
                )
            ):
                target = i
                it.ordinal = it.ordinal or "subset"
                break
            if _counts_across(gap):
                target = i
            break
        if target is not None:
            bound[target] = q
            continue
        # "The first two of eight NASAMS systems pledged by Washington arrived": a subset of a counted item.
        of_n = re.match(r"^\s+of\s+(?:the\s+)?(?:[\d,.]+|" + _NUMBER_WORD_RE + r")\s+", after, re.IGNORECASE)
        if of_n:
            later = [it for it in items if it.start >= q.end + of_n.end() - 1 and not it.virtual]
            if later and later[0].start - (q.end + of_n.end()) <= 30:
                ref = later[0]
                items.append(
                    ItemMention(
                        start=q.start,
                        end=q.end,
                        head_start=q.start,
                        term=ref.term,
                        phrase=ref.phrase,
                        ordinal="subset",
                        modifier_states=list(ref.modifier_states),
                        virtual=True,
                        anchor_end=ref.end,
                    )
                )
                bound[len(items) - 1] = q
                continue
        if q.is_word and q.value == 1:
            continue
        m_after = _BARE_VIRTUAL_AFTER.match(after)
        # Gapping: "Denmark has pledged 19 of the fighters, the Netherlands 24 and Norway six."
        gap_state = next(
            (
                st
                for st in states or []
                if st.kind in ("name", "short", "capital")
                and st.end <= q.start
                and re.fullmatch(r"\s+", text[st.end : q.start])
            ),
            None,
        )
        bare_ok = (
            bool(m_after) or re.search(r"\bof\s*$", text[: q.start]) is not None or gap_state is not None
        )
        if not bare_ok:
            continue
        # "the number of HIMARS" after the number: count that item.
        num_of = re.match(r"^\s*the\s+number\s+of\s+", after)
        if num_of:
            following = [i for i, it in enumerate(items) if it.start >= q.end and i not in bound]
            if following:
                bound[following[0]] = q
            continue
        if re.match(r"^\s*of\s+(?:them|those|these)\b", after) and not lex.phrase_res["triggers.send"].search(
            after[:60]
        ):
            continue
        earlier_items = [it for it in items if it.end <= q.start and not it.blocked]
        antecedent = earlier_items[-1] if earlier_items else None
        if antecedent is None:
            continue
        virtual = ItemMention(
            start=q.start,
            end=q.end,
            head_start=q.start,
            term=antecedent.term,
            phrase=antecedent.phrase,
            determiner=None,
            ordinal=None,
            modifier_states=list(antecedent.modifier_states),
            virtual=True,
            gap_state=gap_state.iso if gap_state is not None else None,
        )
        items.append(virtual)
        bound[len(items) - 1] = q
    return bound


def _quantity(q: QuantityMention | None) -> Quantity:
    if q is None:
        return Quantity()
    return Quantity(value=q.value, low=q.low, high=q.high, qualifier=q.qualifier, unit=q.unit)


def _role_slots(
    text: str,
    states: list[StateMention],
    triggers: list[TriggerMention],
    excluded: list[tuple[int, int]],
    lex: Lexicon,
) -> tuple[list[StateMention], list[StateMention], list[StateMention]]:
    """(sources, destinations, unassigned) among the sentence's state mentions."""
    sources: list[StateMention] = []
    dests: list[StateMention] = []
    rest: list[StateMention] = []
    first_trigger = triggers[0].start if triggers else None
    excl_re = lex.phrase_res["exclude_role_before"]
    support_re = lex.phrase_res["support_verbs"]
    for s in states:
        if any(_overlaps((s.start, s.end), e) for e in excluded):
            continue
        before = text[max(0, s.start - 40) : s.start]
        tail_excl = excl_re.search(before[-22:]) if before else None
        if (tail_excl and before.rstrip().lower().endswith(tail_excl.group(0).lower())) or (
            tail_excl
            and re.fullmatch(
                r"\s*(?:the\s+)?",
                before[before.lower().rfind(tail_excl.group(0).lower()) + len(tail_excl.group(0)) :],
            )
        ):
            continue
        if s.kind == "person":
            # A public figure is an actor only as the object of a transfer verb ("promised President Zelensky").
            prev_trig = [t for t in triggers if t.end <= s.start and s.start - t.end <= 30]
            if prev_trig and re.fullmatch(
                r"\s+(?:(?:US|U\.S\.|Ukrainian|Russian)\s+)?(?:President|Prime Minister|"
                r"Chancellor|leader)?\s*",
                text[prev_trig[-1].end : s.start],
            ):
                dests.append(s)
            continue
        if re.search(r"\bfor\s+$", before) and re.match(r"^\s+to\s+(\w+)", text[s.end :]):
            verb = re.match(r"^\s+to\s+(\w+)", text[s.end :])
            if verb and verb.group(1).lower() in lex.word_sets["triggers.send"]:
                sources.append(s)  # "arrangements for Russia to supply it with Su-35s"
                continue
        if _SOURCE_BEFORE.search(before) and not re.search(r"\bof\s+(?:the\s+)?$", before, re.IGNORECASE):
            by = re.search(r"\bby\s+(?:the\s+)?$", before, re.IGNORECASE)
            if not by or any(0 <= s.start - t.end <= 45 for t in triggers):
                sources.append(s)
                continue
            rest.append(s)
            continue
        if _DEST_BEFORE.search(before):
            if re.search(r"\b(?:to|into|for)\s+(?:the\s+)?$", before, re.IGNORECASE) and s.kind != "place":
                dests.append(s)
                continue
            dests.append(s)
            continue
        if re.search(r"\bto\s+(?:" + support_re.pattern + r")\s+(?:the\s+)?$", before, re.IGNORECASE):
            dests.append(s)
            continue
        if (
            _NOR_BEFORE.search(before)
            and dests
            and text[dests[-1].end : s.start].strip().lower()
            in (
                "nor",
                "or",
                "and",
                "nor the",
                ", nor",
            )
        ):
            dests.append(s)
            continue
        # Ditransitive: "handed Moscow 120 guns", "supply Kyiv with".
        prev_trig = [t for t in triggers if t.end <= s.start and re.fullmatch(r"\s*", text[t.end : s.start])]
        if prev_trig and prev_trig[-1].word in ("left", "depart", "departed", "leaving"):
            sources.append(s)  # "left Belarus for Russia"
            continue
        if (
            prev_trig
            and (prev_trig[-1].kind in ("send", "pledge") or prev_trig[-1].word.startswith("reach"))
            and s.kind != "demonym"
            and not s.text.endswith(("'s", "’s"))
        ):
            dests.append(s)
            continue
        if s.kind == "place":
            if re.search(
                r"\bfrom\b(?:(?!\bto\b)[^,;])*$|\b(?:left|departed|leaving)\s+(?:the\s+)?(?:port\s+of\s+)?$",
                before,
            ):
                sources.append(s)  # "from the border station at Tumangang"
            elif (
                _IN_BEFORE.search(before)
                or _REGION_AFTER.match(text[s.end :])
                or re.search(
                    r"\b(?:near|to|into|at|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:port|town|city|base|airbase|"
                    r"region|area|province|oblast|depot|harbour|harbor)\s+(?:of\s+)?$|\bnear\s+$",
                    before,
                )
            ):
                dests.append(s)
            continue
        if re.search(r"\bto\s+\w+\s+in\s+(?:\w+ern\s+)?$", before) and first_trigger is not None:
            dests.append(s)  # "sent ... to train in eastern Russia"
            continue
        if _IN_BEFORE.search(before) and first_trigger is not None and s.start > first_trigger:
            trig = [t for t in triggers if t.end <= s.start]
            if trig and (
                trig[-1].kind in ("receive",)
                or trig[-1].word.startswith(("deploy", "brought", "bring", "unload", "station"))
            ):
                dests.append(s)
                continue
            rest.append(s)
            continue
        if (
            first_trigger is not None
            and s.start < first_trigger
            and s
            is _closest_before(
                states,
                first_trigger,
                excluded,
                receiver=triggers[0].kind == "receive" and triggers[0].word not in _ARRIVAL_WORDS,
            )
        ):
            first = triggers[0]
            # Passive only with a participle: "was sent", "has been promised" (not "is covertly supplying").
            passive = re.search(
                r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+\s+)?$", text[: first.start], re.I
            ) and (first.word.endswith(("ed", "en")) or first.word in _IRREGULAR_PARTICIPLES)
            if (
                passive
                and first.kind in ("send", "pledge")
                and not re.match(r"^\s+(?:to|by|from|into)\b", text[first.end :])
            ):
                dests.append(s)  # "Ukraine has been promised 65 F-16s", "Kyiv was given ..."
            elif first.kind == "contract" and any(t.kind == "receive" for t in triggers):
                dests.append(s)  # "Poland's defence ministry signed a contract to buy 96 Apaches"
            elif passive or first.kind == "contract":
                rest.append(s)
            elif first.kind == "receive" and first.word not in _ARRIVAL_WORDS:
                dests.append(s)
            else:
                sources.append(s)
            continue
        rest.append(s)
    # "flown into an airstrip in eastern Chad, and then driven across the border to RSF units in Darfur": the
    # first place is a transit stop, not a party to the transfer.
    transit = [
        stop
        for stop, onward in pairwise(dests)
        if re.search(
            r"\b(?:then|onward|onwards|on\s+to|before\s+being|from\s+there)\b", text[stop.end : onward.start]
        )
    ]
    return sources, [d for d in dests if d not in transit], rest


_IRREGULAR_PARTICIPLES = frozenset(
    {
        "sent",
        "sold",
        "bought",
        "brought",
        "lent",
        "flown",
        "left",
        "got",
        "dealt",
        "built",
        "given",
        "taken",
        "held",
    }
)
_MOVEMENT_CLASSES = frozenset({"voyage", "flight", "train", "truckload"})
_DOMESTIC = "XXX"  # marker: the claim moves forces inside one state and is dropped
_ARRIVAL_WORDS = frozenset({"arrived", "arrive", "arrives", "arriving", "reached", "reach", "land", "landed"})


def _closest_before(
    states: list[StateMention], pos: int, excluded: list[tuple[int, int]], *, receiver: bool = False
) -> StateMention | None:
    # A demonym is a subject only of receiving ("Ukrainian brigades received ..."); "the Russian ambassador"
    # before "sending" is no sender.
    skip = ("person", "origin", "place") if receiver else ("person", "demonym", "origin", "place")
    before = [
        s
        for s in states
        if s.end <= pos and s.kind not in skip and not any(_overlaps((s.start, s.end), e) for e in excluded)
    ]
    return before[-1] if before else None


def _status(
    text: str,
    seg: tuple[int, int],
    trigger: TriggerMention | None,
    lex: Lexicon,
    deny_sentence: bool,
    package_pledged: bool,
    item_pos: int,
    conversion: bool = False,
) -> Status:
    seg_text = text[seg[0] : seg[1]]
    if deny_sentence:
        return Status.DENIED
    if trigger is not None:
        before_trig = text[max(0, seg[0] - 1, trigger.start - 30) : trigger.start].lower()
        # (The "neither ... nor" look-ahead runs on the full text: a slice could cut "North" to "Nor".)
        if re.search(r"\b(?:not|never|n't|no\s+longer)\b(?:\s+\w+){0,2}\s*$", before_trig) or re.match(
            r"^[^.;]{0,80}?\b(?:neither|nor)\b", text[trigger.end :], re.IGNORECASE
        ):
            return Status.DENIED
    past_hedge = lex.phrase_res["past_hedge"].search(seg_text)
    window_start = seg[0]
    window_end = trigger.end if trigger is not None and trigger.end > item_pos else max(item_pos, seg[0])
    if trigger is not None and trigger.kind == "pledge":
        return Status.PLEDGED
    if (
        trigger is not None
        and trigger.kind == "nominal"
        and lex.phrase_res["triggers.pledge"].search(text[seg[0] : trigger.start])
    ):
        return Status.PLEDGED  # "Washington approved a $1.2 billion sale of 100 missiles"
    if trigger is not None and trigger.kind == "contract":
        return Status.EXPECTED  # a contract, order or deal: goods still to come
    if (
        trigger is not None
        and trigger.word.startswith(("compris", "consist", "includ", "contain"))
        and re.search(r"\b(?:package|tranche|aid)\b", text[seg[0] : trigger.start], re.IGNORECASE)
    ):
        return Status.PLEDGED  # "the package contains 1,000 rounds": what a package holds is pledged
    window = text[window_start:window_end]
    exp = lex.phrase_res["expected"].search(window)
    if (
        exp is None
        and trigger is not None
        and trigger.word in ("on their way", "on its way", "en route", "in transit")
    ):
        return Status.EXPECTED
    if exp is None:
        exp = (
            lex.phrase_res["expected"].search(text[window_end : seg[1]])
            if trigger is not None
            and re.match(
                r"^\s*(?:is|are|was|were)\s+(?:expected|planned|scheduled|due|set)\b",
                text[window_end : seg[1]],
            )
            else None
        )
    if exp is not None and not past_hedge:
        word = exp.group(0).lower()
        if word in ("could", "would") and (conversion or re.search(r"\bif\b", text, re.IGNORECASE)):
            pass  # the hedge of a conversion ("if ... could hold"), not a plan
        elif word == "order" or word == "orders" or word == "ordered":
            if re.search(r"\b(?:on|under)\s+order\b|\bordered\b", window, re.IGNORECASE):
                return Status.EXPECTED
        else:
            return Status.EXPECTED
    if package_pledged:
        return Status.PLEDGED
    if (
        trigger is not None
        and trigger.kind == "nominal"
        and trigger.word in {p.lower() for p in lex.cues["package_nouns"]}
    ):
        return Status.PLEDGED
    return Status.OCCURRED


def analyse_sentence(
    sent: Sentence,
    published: date | None,
    lex: Lexicon,
    *,
    korean_context: bool,
    package_pledged: bool,
) -> SentenceFrame:
    """Candidates and context of one sentence."""
    text = sent.text
    states = find_states(text, lex, korean_context)
    items = find_items(text, lex, states)
    triggers = find_triggers(text, lex)
    atts = find_attributions(text, lex)
    quantities = find_quantities(text)
    atoms = find_atoms(text)
    dates_past = find_dates(text, published, future=False, atoms=atoms)
    dates_future = find_dates(text, published, future=True, atoms=atoms)
    segments = clause_segments(text, lex)
    att_spans = [(a.start, a.end) for a in atts]
    date_spans = [(d.start_pos, d.end_pos) for d in dates_past]
    quantities = [
        q
        for q in quantities
        if not any(_overlaps((q.start, q.end), d) for d in date_spans)
        and not any(_overlaps((q.start, q.end), a) for a in att_spans)
    ]
    attribution, anaphoric = _pick_attribution(atts, lex)
    deny_sentence = any(a.deny for a in atts) or bool(
        re.search(r"\b(?:groundless|baseless|fabricated|untrue|nonsense)\b", text, re.IGNORECASE)
    )
    frame = SentenceFrame(sent, [], attribution, anaphoric, states, items=items)
    bound = _bind_quantities(text, items, quantities, lex, states)
    free_triggers = [t for t in triggers if not any(_overlaps((t.start, t.end), a) for a in att_spans)]
    # "Tehran rejected claims that it had shipped ...", "Canada announced it would donate ...": an attributor
    # that is just a state stays an actor of the claim.
    role_excluded = [(a.start, a.end) for a in atts if not _is_state_only(a, states)]
    sources, dests, rest = _role_slots(text, states, free_triggers, role_excluded, lex)
    att_states = [
        st.iso
        for st in states
        if any(_overlaps((st.start, st.end), a) for a in att_spans) and st.kind != "person"
    ]
    pronoun_subject = bool(
        free_triggers
        and re.search(
            r"\b(?:it|they|his\s+country|her\s+country|its\s+country|their\s+country)\s+(?:had|has|have|would|"
            r"will|was|were|is|are|did|does|do|could|may|might)?\s*(?:\w+\s+)?$",
            text[: free_triggers[0].start],
            re.IGNORECASE,
        )
    )
    has_carrier = any(it.term.category is Category.SHIPMENT for it in items) or bool(
        re.search(r"\b(?:those|these|the)\s+(?:containers|railcars|wagons|shipments)\b|\bthey\b", text, re.I)
    )
    conversion = (
        bool(re.search(r"\bif\b", text, re.IGNORECASE))
        and has_carrier
        and bool(re.search(r"\b(?:could|would|might)\b|\bestimate", text, re.IGNORECASE))
    ) or bool(
        re.search(r"\b(?:could|can)\s+(?:hold|carry|contain)\b|\benough\s+to\s+(?:hold|carry)\b", text, re.I)
    )
    pledge_attr = any(a.verb in ("pledged", "promised") for a in atts)
    package_announced = bool(_PACKAGE.search(text)) and bool(_ANNOUNCED.search(text))
    hedged = bool(lex.phrase_res["hedge"].search(text)) or conversion
    triggers = free_triggers
    trig_segs = {_segment_of(t.start, segments) for t in triggers}
    for idx, item in enumerate(items):
        q = bound.get(idx)
        if not _item_is_transferred(item, q, text, att_spans):
            continue
        seg_idx = _segment_of(item.start, segments)
        seg = segments[seg_idx]
        seg_triggers = [t for t in triggers if seg[0] <= t.start < seg[1]]
        trigger = _governing_trigger(item, seg_triggers, text)
        seg_text = text[seg[0] : seg[1]]
        if _REQUEST.search(text[seg[0] : item.start]) or (
            _REQUEST.search(seg_text) and (trigger is None or trigger.start > item.start)
        ):
            continue  # "urged allies to send 25 more Patriots", "asked for more fighter jets"
        if trigger is not None and not conversion and _HYPOTHETICAL.search(text[seg[0] : trigger.start]):
            continue  # "If Seoul were to send shells", "would consider approving F-16 transfers"

        if trigger is not None and _REFUSAL.search(text[seg[0] : trigger.start]):
            continue  # "reluctant to send", "refused to supply": no transfer is reported
        if _PROHIBITION.search(text[seg[0] : item.start]):
            continue  # "resolutions prohibit North Korea from exporting arms": a rule, not a transfer
        if trigger is None:
            trigger = _continued_trigger(text, segments, seg_idx, trig_segs, triggers)
        if (
            trigger is not None
            and trigger.kind == "receive"
            and trigger.word not in _ARRIVAL_WORDS
            and item.end <= trigger.start
            and q is None
            and not re.search(r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+\s+)?$", text[: trigger.start])
            and not re.search(r"\b(?:it|they|he|she|we|that|which)\b", text[item.end : trigger.start])
        ):
            continue  # "Ukrainian brigades received ...": the receiver, not the goods
        is_subset = item.ordinal == "subset"
        if (
            is_subset
            and q is not None
            and re.search(
                r"\b(?:" + lex.phrase_res["non_transfer_verbs"].pattern + r")\s+$", text[: q.start], re.I
            )
        ):
            continue  # "fired at least one of the North Korean missiles": use, not transfer
        if is_subset and trigger is None and _PRESENCE.match(text[item.end :]):
            continue  # "about 1,000 of its fighters are now in the country": presence, not a transfer
        if is_subset and trigger is None and _STOCK.search(text[seg[0] : item.start]):
            continue  # "France is believed to hold fewer than 400 of the missiles": stocks, not a transfer
        if (
            item.term.generic
            and q is None
            and trigger is not None
            and min(abs(trigger.start - item.end), abs(item.start - trigger.end)) > 40
        ):
            continue  # a vague word ("crews", "systems") far from any transfer verb
        # A counted movement ("five round trips", "678 cargo flights") reports a transfer by itself.
        movement = q is not None and item.term.item_class in _MOVEMENT_CLASSES
        if (
            trigger is None
            and not movement
            and not (
                is_subset
                or (
                    conversion
                    and q is not None
                    and item.term.category in (Category.AMMUNITION, Category.MISSILE)
                )
            )
        ):
            continue
        # "for recovering damaged equipment", "destroyed two of them": objects of a non-transfer verb.
        lead = text[max(seg[0], item.start - 25) : item.start]
        if (
            lex.phrase_res["non_transfer_verbs"].search(lead)
            and re.search(
                r"\b(?:" + lex.phrase_res["non_transfer_verbs"].pattern + r")\s+(?:the\s+|their\s+|its\s+)?$",
                lead,
                re.IGNORECASE,
            )
            and (trigger is None or trigger.start < item.start - 25)
        ):
            continue
        status = _status(text, seg, trigger, lex, deny_sentence, package_pledged, item.start, conversion)
        if status is Status.OCCURRED and _POST_EXPECTED.match(text[item.end : seg[1] + 40]):
            status = Status.EXPECTED
        if item.determiner in ("any", "no") and status is not Status.DENIED:
            continue  # "any other weapon the West has given" (a denial of "any" is still a denial)
        if (pledge_attr or package_announced) and status is Status.EXPECTED and not deny_sentence:
            status = Status.PLEDGED  # "will send ... as part of a package announced on Wednesday"
        estimated = hedged and q is not None
        if (
            q is not None
            and q.qualifier is Qualifier.APPROXIMATELY
            and re.match(r"an?\s+estimated", text[q.start : q.end], re.IGNORECASE)
        ):
            estimated = True
        seg_dests = [d for d in dests if seg[0] <= d.start < seg[1]]
        if trigger is not None:
            tseg = segments[_segment_of(trigger.start, segments)]
            seg_dests = seg_dests or [d for d in dests if tseg[0] <= d.start < tseg[1]]
        other_dests = [
            d
            for d in dests
            if d not in seg_dests and not _WARNING_CLAUSE.search(text[max(0, d.start - 80) : d.start])
        ]
        supplier, recipients, sup_exp, rec_exp = _roles_for(
            item, sources, seg_dests or other_dests, rest, text
        )
        if pronoun_subject and len(set(att_states)) == 1:
            # "Tehran denied that it had shipped ...", "Lukashenko said his country had begun receiving ...".
            if trigger is not None and trigger.kind == "receive" and recipients == [None]:
                if att_states[0] != supplier:
                    recipients, rec_exp = [att_states[0]], True
            elif supplier is None and att_states[0] not in recipients:
                supplier, sup_exp = att_states[0], True
        if is_subset and trigger is None:
            supplier, recipients, sup_exp, rec_exp = None, [None], False, False
        if item.gap_state is not None:
            supplier, sup_exp = item.gap_state, True
            recipients = [r for r in recipients if r != supplier] or [None]
        time = _time_for(
            item, trigger, status, dates_past, dates_future, att_spans, segments, text, trig_segs
        )
        for recipient in recipients:
            if recipient == _DOMESTIC:
                continue
            frame.candidates.append(
                Candidate(
                    sentence=sent.index,
                    paragraph=sent.paragraph,
                    term=item.term,
                    item=_normalise_item(item.phrase, item.term),
                    category=item.term.category,
                    quantity=_quantity(q),
                    status=status,
                    estimated=estimated,
                    time=time,
                    location=_location_for(states, recipient, att_spans, text),
                    attribution=attribution,
                    attribution_is_anaphoric=anaphoric,
                    supplier=supplier,
                    recipient=recipient,
                    supplier_explicit=sup_exp,
                    recipient_explicit=rec_exp,
                    evidence_start=sent.start,
                    evidence_end=sent.end,
                    definite=item.determiner in ("the", "these", "those", "its", "their", "both", "such"),
                    ordinal=None if is_subset else item.ordinal,
                    subset=is_subset,
                    virtual=item.virtual,
                    conversion=conversion,
                    position=sent.start + item.start,
                    attribution_state=att_states[0] if len(set(att_states)) == 1 else None,
                )
            )
    # Event context: "the handover took place on Tuesday", "they were moved by rail to ... Tikhoretsk".
    frame.event_dates = [
        d for d in dates_past if not any(_overlaps((d.start_pos, d.end_pos), a) for a in att_spans)
    ]
    frame.event_location = _location_for(states, None, att_spans, text)
    # A sentence with no claim of its own ("How much has North Korea given Russia?") still names the flow
    # the story is about when a transfer verb links the two states directly.
    pp_dests = [
        d
        for d in dests
        if re.search(r"\b(?:to|into|for)\s+(?:the\s+)?$", text[max(0, d.start - 12) : d.start])
        or any(re.fullmatch(r"\s*", text[t.end : d.start]) for t in triggers)
    ]
    if triggers and sources and pp_dests and sources[0].iso != pp_dests[0].iso:
        frame.flow_hint = (sources[0].iso, pp_dests[0].iso)
    frame.actor_isos = {
        st.iso for st in states if not any(_overlaps((st.start, st.end), a) for a in att_spans)
    }
    frame.event_item_classes = {
        it.term.item_class for it in items if it.determiner in ("the", "those", "these")
    }
    frame.event_generic = bool(
        re.search(
            r"^(?:the\s+|they\b|these\b|it\b)|\b(?:the|this)\s+(?:handover|delivery|shipment|transfer|consignment|"
            r"transfers|deliveries|shipments|cargo|weapons\s+transfers)\b",
            text,
            re.IGNORECASE,
        )
    )
    return frame


_HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|whether|consider|considers|considering|considered|weigh|weighs|weighing|debate|debating|"
    r"discuss|discusses|discussing|discussed|mull|mulls|mulling|explore|exploring|ruled\s+out|not\s+be\s+ruled)\b",
    re.IGNORECASE,
)
_REFUSAL = re.compile(
    r"\b(?:reluctant|unwilling|refused|refuses|refuse|declined|declines|hesitant|hesitated|resisted|resists|"
    r"rejected\s+calls|ruled\s+out|rules\s+out|won't|will\s+not|would\s+not|cannot|can't)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
_PRESENCE = re.compile(
    r"^\s+(?:are|is|were|was|remain|remained|remains)\s+(?:now\s+|still\s+|already\s+)?(?:in|inside|present|"
    r"stationed|based|operating|fighting|serving|active|deployed\s+in)\b",
    re.IGNORECASE,
)
_STOCK = re.compile(
    r"\b(?:hold|holds|held|own|owns|owned|possess|possesses|has|have|had|keeps?|kept|inventory|stocks?|arsenal|"
    r"stockpiles?|reserves?)\b",
    re.IGNORECASE,
)
_PACKAGE = re.compile(r"\b(?:package|tranche|aid\s+bundle)\b", re.IGNORECASE)
_ANNOUNCED = re.compile(r"\b(?:announc|approv|unveil|pledg|authori[sz]|commit)\w*", re.IGNORECASE)
_WARNING_CLAUSE = re.compile(
    r"\b(?:warning|warned|saying|adding|heading|headed|moving)\b[^.;]*$", re.IGNORECASE
)
_REQUEST = re.compile(
    r"\b(?:asked|asks|asking|requested|requests|requesting|wants|wanted|seeks|sought|needs|needed|urged|urges|"
    r"appealed|lobbied|lobbying|pleaded|calls\s+for|called\s+for)\b",
    re.IGNORECASE,
)
_PROHIBITION = re.compile(
    r"\b(?:prohibits?|prohibited|prohibiting|bans?|banned|banning|barred|bars|forbids?|forbidden|embargo|caps?|"
    r"capped|capping|limits|limited|restricts?|restricted|"
    r"track|tracking|monitor|monitoring|violate|violates|violating|sanctions?\s+on)\b",
    re.IGNORECASE,
)
_POST_EXPECTED = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:under\s+contract|on\s+order|on\s+(?:their|its)\s+way|due\s+to|scheduled|"
    r"set\s+to|to\s+be\s+(?:delivered|sent|shipped|handed))",
    re.IGNORECASE,
)
_PREP_BEFORE = re.compile(
    r"\b(?:onto|aboard|via|into|against|near|at|from|by|on|in|under|toward|towards|inside|within|around|behind|for)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?$",
    re.IGNORECASE,
)
_OF_NON_ITEM = re.compile(
    r"\b(?:launch(?:es)?|tests?|production|use|stocks?|stockpiles?|debris|remnants|fragments|wreckage|remains|"
    r"development|designs?|copies|versions?|shortage|shortages|deficit|lack|flows?|trade|smuggling|equivalent|worth|"
    r"size|value|cost|price|half|third|quarter|share|percent|per\s+cent|training|maintenance|repair)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _is_state_only(att: Attribution, states: list[StateMention]) -> bool:
    """Is the attributor just a state ("Tehran", "the Kremlin", "Canada")?"""
    if not att.text or att.embedded:
        return False
    inside = [s for s in states if att.start <= s.start < att.end and s.kind not in ("person", "place")]
    name = re.sub(r"^the\s+", "", att.text, flags=re.IGNORECASE).lower()
    return len(inside) == 1 and name == re.sub(r"^the\s+", "", inside[0].text, flags=re.IGNORECASE).lower()


def _item_is_transferred(
    item: ItemMention, q: QuantityMention | None, text: str, att_spans: list[tuple[int, int]]
) -> bool:
    """Can this noun phrase be the moved thing (not a modifier, container content, vehicle of transport ...)?"""
    if item.blocked:
        return False
    if any(_overlaps((item.start, item.end), a) for a in att_spans) and not item.virtual:
        return False
    if (item.contents_of is not None or item.in_including) and q is None:
        return False
    lead = text[max(0, item.start - 45) : item.start]
    if q is None and not item.virtual and _PREP_BEFORE.search(lead[-25:]):
        return False
    if q is None and re.search(
        r"\b(?:for\s+(?:its|their|his|her)|on|onto|aboard|against)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}"
        r"(?:and|or)\s+$",
        lead,
    ):
        return (
            False  # "guided bombs for its Su-27 and MiG-29 jets": the second half of a prepositional phrase
        )
    if item.determiner is None and re.search(r"\bto\s+$", lead) and not item.term.plural:
        return False  # "to train in eastern Russia": a verb
    if (
        q is None
        and item.term.category is Category.SHIPMENT
        and re.match(r"^\s+(?:carrying|loaded|laden|packed|filled|full|with)\b", text[item.end :])
    ):
        return False  # "a train carrying 10 of the guns": the vehicle, not the claim
    return not _OF_NON_ITEM.search(lead)


def _continued_trigger(
    text: str,
    segments: list[tuple[int, int]],
    seg_idx: int,
    trig_segs: set[int],
    triggers: list[TriggerMention],
) -> TriggerMention | None:
    """The trigger of an earlier clause that this clause continues as a list ("..., three vehicles, ...")."""
    k = seg_idx - 1
    while k >= 0 and k not in trig_segs:
        k -= 1
    if k >= 0 and _is_list_continuation(text, segments, seg_idx, k):
        prev = [t for t in triggers if segments[k][0] <= t.start < segments[k][1]]
        return prev[-1] if prev else None
    return None


def _is_list_continuation(text: str, segments: list[tuple[int, int]], seg_idx: int, trig_seg: int) -> bool:
    seg_text = text[segments[seg_idx][0] : segments[seg_idx][1]].strip().lower()
    if re.match(r"^(?:including|such as|mainly|mostly|notably|especially|among)\b", seg_text):
        return False
    if re.search(r"\b(?:is|are|was|were|has|have|had|will|would|said|says)\b", seg_text):
        return False
    return seg_idx - trig_seg <= 3


def _governing_trigger(
    item: ItemMention, seg_triggers: list[TriggerMention], text: str
) -> TriggerMention | None:
    if item.anchor_end is not None:
        # The main verb after the counted phrase, past a participle on it ("pledged by Washington").
        later = [t for t in seg_triggers if t.start >= item.anchor_end]
        while len(later) > 1 and re.fullmatch(r"\s*", text[item.anchor_end : later[0].start]):
            later = later[1:]
        if later:
            return later[0]
    before = [t for t in seg_triggers if t.end <= item.start]
    after = [t for t in seg_triggers if t.start >= item.end]
    # A relative or reduced relative clause on the item governs it: "the number of HIMARS that Washington
    # has committed", "the rockets supplied so far".
    if after and re.fullmatch(
        r"\s*(?:(?:(?:that|which)\s+(?:[\w.-]+\s+){0,3})|(?:it|they|he|she|we)\s+(?:has\s+|had\s+|have\s+)?)?",
        text[item.end : after[0].start],
    ):
        return after[0]
    if before:
        return before[-1]
    if after:
        return after[0]
    inside = [t for t in seg_triggers if item.start <= t.start < item.end]
    return inside[0] if inside else None


def _roles_for(
    item: ItemMention,
    sources: list[StateMention],
    dests: list[StateMention],
    rest: list[StateMention],
    text: str,
) -> tuple[str | None, list[str | None], bool, bool]:
    """Supplier and recipient(s): coordinated destinations ("to neither Ukraine nor Russia") give several."""
    # "from X" names the supplier; else a state on the item itself ("North Korean troops", "South
    # Korean-made tanks") beats the clause subject ("Russian navy ships had carried ... North Korean troops").
    pp = [s for s in sources if _SOURCE_BEFORE.search(text[max(0, s.start - 40) : s.start])]
    if pp:
        supplier: str | None = pp[0].iso
    elif item.modifier_states:
        supplier = item.modifier_states[0]
    else:
        supplier = sources[0].iso if sources else None
    recipients: list[str | None] = []
    for i, d in enumerate(dests):
        if d.iso == supplier and d.kind == "place":
            # "Russia moved 20,000 troops to the Kursk region": forces moved inside their own state.
            return supplier, [_DOMESTIC], True, True
        if d.iso == supplier or d.iso in recipients:
            continue
        if recipients and not re.fullmatch(
            r"\s*(?:,|,?\s*(?:and|or|nor))\s*(?:the\s+)?", text[dests[i - 1].end : d.start]
        ):
            break
        recipients.append(d.iso)
    if pp and not recipients:
        # "missiles supplied by North Korea" that "Russia has fired": the clause subject received them.
        receivers = [s.iso for s in sources if s not in pp and s.iso != supplier]
        recipients.extend(receivers[:1])
    # Leftover states fill a missing role only from the claim's own stretch of the sentence.
    rest = [s for s in rest if abs(s.start - item.start) <= 120]
    if supplier is None and recipients:
        # A leftover state is the sender unless the text puts it on the route ("into ... eastern Chad").
        others = [
            s.iso
            for s in rest
            if s.iso not in recipients
            and not re.search(
                r"\b(?:in|into|to|at|toward|towards|across)\s+(?:the\s+)?(?:\w+ern\s+)?$",
                text[max(0, s.start - 30) : s.start],
                re.IGNORECASE,
            )
        ]
        if len(set(others)) == 1:
            supplier = others[0]
    elif not recipients and supplier is not None:
        # A leftover state as the receiver, unless it is a clause subject ("ammunition that Moscow has
        # condemned") or an adjective ("a matching US move").
        others = [
            s.iso
            for s in rest
            if s.iso != supplier
            and s.kind != "demonym"
            and not re.search(
                r"\b(?:that|which|who|whom|without|than|with)\s+(?:the\s+)?(?:\w+\s+)?$",
                text[max(0, s.start - 30) : s.start],
                re.IGNORECASE,
            )
            and not re.match(
                r"^\s+(?!(?:has|have|had|is|are|was|were|will|would|may|might|can|could|also|now|already|then|says|"
                r"said|claims|denies|insists|reports|\w+ed)\b)[a-z]+",
                text[s.end :],
            )
            # a state heading a gapped list ("the Netherlands 24 and Norway six") is a supplier
            and not re.match(
                r"^\s+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|a\s+dozen)\b)", text[s.end :]
            )
        ]
        if len(set(others)) == 1:
            recipients = [others[0]]
    explicit_rec = bool(recipients)
    return supplier, recipients or [None], supplier is not None, explicit_rec


def _time_for(
    item: ItemMention,
    trigger: TriggerMention | None,
    status: Status,
    past: list[DateExpr],
    future: list[DateExpr],
    att_spans: list[tuple[int, int]],
    segments: list[tuple[int, int]],
    text: str,
    trigger_segments: set[int],
) -> Period | None:
    dates = future if status in (Status.EXPECTED, Status.PLEDGED) else past
    usable = [
        d
        for d in dates
        if not any(_overlaps((d.start_pos, d.end_pos), a) for a in att_spans)
        and (d.start or d.end)
        and not re.search(
            r"\b(?:tested|launched|founded|adopted|created|met|signed|visited)\s+(?:\w+\s+){0,3}$",
            text[max(0, d.start_pos - 30) : d.start_pos],
        )
    ]
    if not usable:
        return None
    if status is Status.PLEDGED and not any(d.kind == "by" for d in usable):
        return None
    item_seg = _segment_of(item.start, segments)
    trig_seg = _segment_of(trigger.start, segments) if trigger is not None else item_seg
    lo, hi = min(item_seg, trig_seg), max(item_seg, trig_seg)
    # A date in the claim's own clause (or between its trigger and the item) dates it; a date in another
    # clause only when that clause reports no transfer of its own.
    own = [d for d in usable if lo <= _segment_of(d.start_pos, segments) <= hi]
    other = [d for d in usable if _segment_of(d.start_pos, segments) not in trigger_segments]
    pool = own or other
    if not pool:
        return None
    anchor = trigger.start if trigger is not None else item.start
    pick = own[0] if own else min(pool, key=lambda d: abs(d.start_pos - anchor))
    return Period(pick.start, pick.end)


def _location_for(
    states: list[StateMention], recipient: str | None, att_spans: list[tuple[int, int]], text: str
) -> str | None:
    for s in states:
        if s.kind != "place" or any(_overlaps((s.start, s.end), a) for a in att_spans):
            continue
        if recipient is not None and s.iso != recipient:
            continue
        before = text[max(0, s.start - 30) : s.start]
        if re.search(
            r"\b(?:to|into|in|at|near|toward|towards|of)\s+(?:the\s+)?(?:port\s+of\s+|town\s+of\s+|city\s+of\s+|"
            r"region\s+of\s+|\w+['’]s\s+)?$",
            before,
            re.IGNORECASE,
        ) or _REGION_AFTER.match(text[s.end :]):
            if re.search(r"\bfrom\s+(?:the\s+)?(?:port\s+of\s+)?$", before, re.IGNORECASE):
                continue
            return s.text
    return None


def _normalise_item(phrase: str, term: ItemTerm) -> str:
    """Singular, whitespace-folded item phrase ("MiG-29 fighter jets" -> "MiG-29 fighter jet")."""
    text = re.sub(r"\s+", " ", phrase).strip(" ,.")
    if term.plural:
        low = text.lower()
        for suffix, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
            if low.endswith(suffix) and not low.endswith(("ss", "us", "arms", "personnel", "electronics")):
                text = text[: len(text) - len(suffix)] + repl
                break
    return text


def _pick_attribution(atts: list[Attribution], lex: Lexicon) -> tuple[str | None, bool]:
    named = [a for a in atts if a.text]
    if not named:
        return None, False
    anaphoric_set = lex.word_sets["anaphoric_attributors"]
    vague = lex.word_sets["vague_attributors"]

    def score(a: Attribution) -> tuple[int, int]:
        t = (a.text or "").lower()
        is_ana = t in anaphoric_set or t.removeprefix("the ") in {
            x.removeprefix("the ") for x in anaphoric_set
        }
        proper = any(w[:1].isupper() for w in (a.text or "").split())
        return (0 if t in vague else 1, (2 if proper else 0) + (0 if is_ana else 1))

    best = max(named, key=score)
    t = (best.text or "").lower()
    if t in vague or t.split()[-1] in {"reports", "footage", "images", "imagery", "video"}:
        return None, False
    is_ana = (
        t in anaphoric_set
        or ("the " + t) in anaphoric_set
        or (len(t.split()) == 1 and (best.text or "")[:1].islower())
    )
    return best.text, is_ana
