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

from armsledger.extract.binding import bind_quantities, to_quantity
from armsledger.extract.dates import DateExpr, find_atoms, find_dates
from armsledger.extract.filters import (
    ANNOUNCED,
    HYPOTHETICAL,
    MOVEMENT_CLASSES,
    PACKAGE,
    POST_EXPECTED,
    PRESENCE,
    PROHIBITION,
    REFUSAL,
    REQUEST,
    STOCK,
    WARNING_CLAUSE,
    item_is_transferred,
)
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
from armsledger.extract.numbers import find_quantities
from armsledger.extract.offsets import overlaps, segment_of
from armsledger.extract.roles import (
    ARRIVAL_WORDS,
    DOMESTIC,
    is_state_only,
    location_for,
    role_slots,
    roles_for,
)
from armsledger.extract.segment import Sentence
from armsledger.extract.status import normalise_item, pick_attribution, status_of, time_for
from armsledger.models import Category, Period, Qualifier, Quantity, Status


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


def analyse_sentence(
    sent: Sentence,
    published: date | None,
    lex: Lexicon,
    *,
    korean_context: bool,
    package_pledged: bool,
    fallback: ItemMention | None = None,
) -> SentenceFrame:
    """Candidates and context of one sentence (``fallback``: the last item named before it)."""
    text = sent.text
    states = find_states(text, lex, korean_context)
    items = find_items(text, lex, states)
    triggers = find_triggers(text, lex)
    triggers = [t for t in triggers if not _false_trigger(t, triggers, items, text)]
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
        if not any(overlaps((q.start, q.end), d) for d in date_spans)
        and not any(overlaps((q.start, q.end), a) for a in att_spans)
    ]
    attribution, anaphoric = pick_attribution(atts, lex)
    # A denial governs what follows it ("Pyongyang denied that ... shells"), not a claim it trails
    # ("the eight systems delivered so far ..., despite Russian claims ..., which Kyiv rejects").
    deny_until = min((a.start for a in atts if a.deny), default=len(text))
    deny_words = re.search(
        r"\b(?:groundless|baseless|fabricated|untrue|nonsense|propaganda|slander|smear)\b",
        text,
        re.IGNORECASE,
    )
    deny_sentence = any(a.deny for a in atts) or bool(deny_words)
    frame = SentenceFrame(sent, [], attribution, anaphoric, states, items=items)
    bound = bind_quantities(text, items, quantities, lex, states, fallback)
    # A pledge verb stays a trigger even when its subject attributes the claim ("Rishi Sunak promised 14 tanks").
    free_triggers = [
        t for t in triggers if t.kind == "pledge" or not any(overlaps((t.start, t.end), a) for a in att_spans)
    ]
    pledger = next(
        (
            st.iso
            for a in atts
            if a.verb in ("pledged", "promised", "announced")
            for st in states
            if st.kind == "person" and a.start <= st.start < a.end
        ),
        None,
    )
    # "Tehran rejected claims that it had shipped ...", "Canada announced it would donate ...": an attributor
    # that is just a state stays an actor of the claim.
    role_excluded = [(a.start, a.end) for a in atts if not is_state_only(a, states)]
    sources, dests, rest = role_slots(text, states, free_triggers, role_excluded, lex)
    # States named in an attributor ("Poland, which had threatened ... Berlin's blessing, said" → Poland).
    att_states = [
        st.iso
        for a in atts
        if a.text
        for st in states
        if a.start <= st.start < a.end and st.kind != "person" and st.text in a.text
    ] or [
        st.iso
        for st in states
        if any(overlaps((st.start, st.end), a) for a in att_spans) and st.kind != "person"
    ]
    # Whose country "it"/"his country" is: the one state of the attributor, else the speaking leader's
    # ("His Belarusian counterpart, Alexander Lukashenko, told Russian television that his country ...").
    speaker_states = att_states
    if len(set(att_states)) != 1:
        speaker_states = (
            [st.iso for a in atts if a.text for st in states if st.kind == "person" and st.text in a.text]
            or [st.iso for a in atts for st in states if a.start <= st.start < _verb_at(a, text)]
            or att_states
        )
    claim_triggers = [t for t in free_triggers if not any(overlaps((t.start, t.end), a) for a in att_spans)]
    pronoun_subject = bool(
        claim_triggers
        and re.search(
            r"\b(?:it|they|his\s+country|her\s+country|its\s+country|their\s+country)\s+(?:had|has|have|would|"
            r"will|was|were|is|are|did|does|do|could|may|might)?\s*(?:\w+\s+)?$",
            text[: claim_triggers[0].start],
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
    package_announced = bool(PACKAGE.search(text)) and bool(ANNOUNCED.search(text))
    hedged = bool(lex.phrase_res["hedge"].search(text)) or conversion
    triggers = free_triggers
    trig_segs = {segment_of(t.start, segments) for t in triggers}
    for idx, item in enumerate(items):
        q = bound.get(idx)
        restricted = _restricted_by_actor(item, triggers, states, text)
        if not item_is_transferred(item, q, text, att_spans, restricted):
            continue
        seg_idx = segment_of(item.start, segments)
        seg = segments[seg_idx]
        seg_triggers = [t for t in triggers if seg[0] <= t.start < seg[1]]
        trigger = _governing_trigger(item, seg_triggers, text)
        seg_text = text[seg[0] : seg[1]]
        continued = (
            _continued_trigger(
                text,
                segments,
                seg_idx,
                trig_segs,
                triggers,
                att_spans,
                q is not None or not item.in_including,
            )
            if trigger is None
            else None
        )
        if REQUEST.search(text[seg[0] : item.start]) or (
            REQUEST.search(seg_text)
            and (trigger is None or trigger.start > item.start)
            and continued
            is None  # "supplier of the tools, microelectronics ... that Russia's industry needs"
        ):
            continue  # "urged allies to send 25 more Patriots", "asked for more fighter jets"
        if trigger is not None and not conversion and HYPOTHETICAL.search(text[seg[0] : trigger.start]):
            continue  # "If Seoul were to send shells", "would consider approving F-16 transfers"

        if trigger is not None and REFUSAL.search(text[seg[0] : trigger.start]):
            continue  # "reluctant to send", "refused to supply": no transfer is reported
        if PROHIBITION.search(text[seg[0] : item.start]):
            continue  # "resolutions prohibit North Korea from exporting arms": a rule, not a transfer
        if trigger is None:
            # An "including" part of an uncounted whole was left standing by find_items: it continues the list.
            trigger = continued
        if (
            trigger is not None
            and trigger.kind == "receive"
            and trigger.word not in ARRIVAL_WORDS
            and item.end <= trigger.start
            and q is None
            and not re.search(r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+\s+)?$", text[: trigger.start])
            and not re.search(r"\b(?:it|they|he|she|we|that|which)\b", text[item.end : trigger.start])
        ):
            continue  # "Ukrainian brigades received ...": the receiver, not the goods
        if (
            trigger is not None
            and trigger.kind == "send"
            and re.match(r"^\s+(?:back\s+)?home\b", text[item.end :])
        ):
            continue  # "send all North Korean workers home": repatriation, not a transfer to another state
        if (
            trigger is not None
            and trigger.word.lower() in ("carries", "carry")
            and not any(st.kind != "person" for st in states)
            and any(it.term.category is not Category.SHIPMENT and it.end <= trigger.start for it in items)
        ):
            continue  # "The 60-tonne Leopard 2A6 carries a 120mm gun": a specification, not a movement
        is_subset = item.ordinal == "subset"
        if (
            is_subset
            and q is not None
            and re.search(
                r"\b(?:" + lex.phrase_res["non_transfer_verbs"].pattern + r")\s+$", text[: q.start], re.I
            )
        ):
            continue  # "fired at least one of the North Korean missiles": use, not transfer
        if is_subset and trigger is None and PRESENCE.match(text[item.end :]):
            continue  # "about 1,000 of its fighters are now in the country": presence, not a transfer
        if is_subset and trigger is None and STOCK.search(text[seg[0] : item.start]):
            continue  # "France is believed to hold fewer than 400 of the missiles": stocks, not a transfer
        if (
            item.term.generic
            and q is None
            and trigger is not None
            and not re.search(r"[A-Z0-9]", item.phrase)  # "a Patriot air defence battery" is no vague word
            and min(abs(trigger.start - item.end), abs(item.start - trigger.end)) > 40
        ):
            continue  # a vague word ("crews", "systems") far from any transfer verb
        # A counted movement ("five round trips", "678 cargo flights") reports a transfer by itself.
        movement = q is not None and item.term.item_class in MOVEMENT_CLASSES
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
        # "producing about 40,000 shells a month": the verb governs the counted phrase.
        anchor = q.start if q is not None and q.start < item.start else item.start
        lead = text[max(seg[0], anchor - 25) : anchor]
        if (
            lex.phrase_res["non_transfer_verbs"].search(lead)
            and re.search(
                r"\b(?:" + lex.phrase_res["non_transfer_verbs"].pattern + r")\s+(?:the\s+|their\s+|its\s+)?$",
                lead,
                re.IGNORECASE,
            )
            and (
                trigger is None
                or trigger.start < anchor - 25
                or (
                    trigger.start > item.end
                    and re.match(r"^\s+(?:a|per|each|every)\s+(?:day|week|month|year)\b", text[item.end :])
                    is not None
                )
            )
        ):
            continue
        item_denied = bool(deny_words) or deny_until <= item.start
        if item_denied and re.search(
            r",\s+(?:saying|adding|insisting|arguing|stressing)\s+(?:that\s+)?(?:the\s+)?only\b",
            text[min(deny_until, item.start) : item.start],
        ):
            item_denied = (
                False  # "deny that any mercenaries were sent, saying the only Russians are instructors"
            )
        # A list item continuing an earlier clause takes that clause's modality ("will send 6,000 troops,
        # including 1,000 deminers").
        status_seg = seg
        if trigger is not None and not seg[0] <= trigger.start < seg[1]:
            status_seg = (segments[segment_of(trigger.start, segments)][0], seg[1])
        status = status_of(
            text, status_seg, trigger, lex, item_denied, package_pledged, item.start, conversion
        )
        if status is Status.OCCURRED and POST_EXPECTED.match(text[item.end : seg[1] + 40]):
            status = Status.EXPECTED
        if item.determiner == "no" and trigger is not None and trigger.start > item.end:
            status = Status.DENIED  # "No North Korean troops have been sent to Ukraine"
        if item.determiner in ("any", "no") and status is not Status.DENIED:
            continue  # "any other weapon the West has given" (a denial of "any" is still a denial)
        if (
            (pledge_attr or package_announced or package_pledged)
            and status is Status.EXPECTED
            and not deny_sentence
        ):
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
            tseg = segments[segment_of(trigger.start, segments)]
            seg_dests = seg_dests or [d for d in dests if tseg[0] <= d.start < tseg[1]]
        other_dests = [
            d
            for d in dests
            if d not in seg_dests and not WARNING_CLAUSE.search(text[max(0, d.start - 80) : d.start])
        ]
        supplier, recipients, sup_exp, rec_exp = roles_for(
            item, sources, seg_dests or other_dests, rest, text, seg
        )
        if pronoun_subject and len(set(speaker_states)) == 1:
            # "Tehran denied that it had shipped ...", "Lukashenko said his country had begun receiving ...".
            speaker = speaker_states[0]
            if trigger is not None and trigger.kind == "receive" and recipients == [None]:
                if speaker != supplier:
                    recipients, rec_exp = [speaker], True
            elif supplier is None and speaker not in recipients:
                supplier, sup_exp = speaker, True
        if supplier is None and pledger is not None and pledger not in recipients:
            supplier, sup_exp = pledger, True  # the leader who promised speaks for the supplying state
        if (
            trigger is not None
            and trigger.kind in ("send", "pledge")
            and recipients == [None]
            and re.match(r"^\s+(?:it|them|us)\b", text[trigger.end :])
            and len(set(att_states)) == 1
            and att_states[0] != supplier
        ):
            recipients, rec_exp = [att_states[0]], True  # "Iran says ... for Russia to supply it with Su-35s"
        elif (
            trigger is not None
            and trigger.kind in ("send", "pledge")
            and recipients == [None]
            and supplier is not None
            and re.match(r"^\s+it\b", text[trigger.end :])
            and sum(1 for st in states if st.kind != "person") == 1
            and any(
                st.kind != "person" and re.search(r"[,;]\s+(?:and|but)\s+", text[st.end : trigger.start])
                for st in states
            )
        ):
            # "Ukraine went into the war with Soviet tanks, and NATO's eastern members have given it hundreds
            # of T-72s": the one state named is the "it" that receives, in a clause of its own. A group of
            # states as the giver stays an unnamed supplier (SCHEMA: aggregates -> null).
            aggregate = bool(_AGGREGATE_SUBJECT.search(text[: trigger.start]))
            recipients, rec_exp, supplier, sup_exp = [supplier], True, None, aggregate
        if is_subset and trigger is None:
            supplier, recipients, sup_exp, rec_exp = None, [None], False, False
        if item.gap_state is not None:
            supplier, sup_exp = item.gap_state, True
            recipients = [r for r in recipients if r != supplier] or [None]
        if (
            status is Status.EXPECTED
            and supplier is not None
            and trigger is not None
            and trigger.kind in ("send", "pledge")
            and not deny_sentence
            and (
                supplier in speaker_states
                or pledger == supplier
                # "Croatia will send 120 deminers, the interior ministry said": an unnamed ministry is the
                # announcing state's own.
                or (
                    not speaker_states
                    and attribution is not None
                    and bool(_OWN_GOVERNMENT.search(attribution))
                )
            )
            and not re.search(r"\bdeploy", text, re.IGNORECASE)  # a deployment of own forces stays expected
            and re.search(
                r"\b(?:will|would|shall)\s+(?:also\s+|soon\s+|now\s+)?$", text[seg[0] : trigger.start]
            )
        ):
            status = (
                Status.PLEDGED
            )  # the supplier's own government announcing it "will supply" makes a pledge
        time = time_for(item, trigger, status, dates_past, dates_future, att_spans, segments, text, trig_segs)
        pairs = [(sup, rec) for sup in _coordinated(supplier, sources + rest, text) for rec in recipients]
        category = item.term.category
        if (
            q is not None
            and item.term.item_class == "aircraft"
            and re.search(r"\b(?:transport|cargo|freight)\b", item.phrase, re.IGNORECASE)
            and re.search(
                r"\b(?:carrying|loaded\s+with|laden\s+with|ferrying)\b", text[item.end : item.end + 120]
            )
        ):
            category = (
                Category.SHIPMENT
            )  # "six Y-20 transport aircraft ... carrying HQ-22 missiles": counted flights
        for supplier, recipient in pairs:
            if recipient == DOMESTIC or (supplier is not None and supplier == recipient):
                continue
            frame.candidates.append(
                Candidate(
                    sentence=sent.index,
                    paragraph=sent.paragraph,
                    term=item.term,
                    item=normalise_item(item.phrase, item.term),
                    category=category,
                    quantity=to_quantity(q),
                    status=status,
                    estimated=estimated,
                    time=time,
                    location=location_for(states, recipient, att_spans, text),
                    attribution=attribution,
                    attribution_is_anaphoric=anaphoric,
                    supplier=supplier,
                    recipient=recipient,
                    supplier_explicit=sup_exp,
                    recipient_explicit=rec_exp,
                    evidence_start=sent.start,
                    evidence_end=sent.end,
                    definite=item.determiner in ("the", "these", "those", "its", "their", "both", "such")
                    and not restricted,
                    ordinal=None if is_subset else item.ordinal,
                    subset=is_subset,
                    virtual=item.virtual,
                    conversion=conversion,
                    position=sent.start + item.start,
                    attribution_state=att_states[0] if len(set(att_states)) == 1 else None,
                )
            )
    denied_report = _DENIED_REPORT.search(text)
    if not frame.candidates and fallback is not None and deny_sentence and denied_report and not items:
        # "Moscow and Pyongyang have dismissed reports of the deployment": a denial of the story's transfer,
        # whose item is the last one named; the flow fills in supplier and recipient.
        frame.candidates.append(
            Candidate(
                sentence=sent.index,
                paragraph=sent.paragraph,
                term=fallback.term,
                item=normalise_item(fallback.phrase, fallback.term),
                category=fallback.term.category,
                quantity=to_quantity(None),
                status=Status.DENIED,
                estimated=False,
                time=None,
                location=None,
                attribution=attribution,
                attribution_is_anaphoric=anaphoric,
                supplier=None,
                recipient=None,
                supplier_explicit=False,
                recipient_explicit=False,
                evidence_start=sent.start,
                evidence_end=sent.end,
                definite=True,
                ordinal=None,
                subset=False,
                virtual=True,
                conversion=False,
                position=sent.start + denied_report.start(),
                attribution_state=None,
            )
        )
    # Event context: "the handover took place on Tuesday", "they were moved by rail to ... Tikhoretsk".
    frame.event_dates = [
        d for d in dates_past if not any(overlaps((d.start_pos, d.end_pos), a) for a in att_spans)
    ]
    frame.event_location = location_for(states, None, att_spans, text)
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
        st.iso for st in states if not any(overlaps((st.start, st.end), a) for a in att_spans)
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
    if text.rstrip().endswith("?"):
        # A question ("How much has North Korea given Russia?") asserts nothing, though it names the flow.
        frame.candidates = []
    return frame


_OWN_GOVERNMENT = re.compile(
    r"^(?:the\s+)?(?:\w+\s+)?(?:government|cabinet|ministry|president|prime\s+minister|chancellor|"
    r"defen[cs]e\s+minister|foreign\s+minister|spokes(?:man|woman|person))\b",
    re.IGNORECASE,
)

_AGGREGATE_SUBJECT = re.compile(
    r"\b(?:members|allies|partners|countries|nations|governments|donors|states)\b(?:\s+[\w-]+){0,6}?\s+"
    r"(?:have|has|had)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)

_DENIED_REPORT = re.compile(
    r"\b(?:reports?|claims?|allegations?|accusations?|suggestions?)\s+(?:of|about|that)\s+(?:the\s+|a\s+|any\s+|such\s+)?"
    r"(?:[\w-]+\s+)?(?:deployments?|transfers?|shipments?|deliveries|supplies|dispatch)\b",
    re.IGNORECASE,
)


def _continued_trigger(
    text: str,
    segments: list[tuple[int, int]],
    seg_idx: int,
    trig_segs: set[int],
    triggers: list[TriggerMention],
    att_spans: list[tuple[int, int]],
    counted: bool = False,
) -> TriggerMention | None:
    """The trigger of an earlier clause that this clause continues as a list ("..., three vehicles, ..."), or of
    the clause after a parenthetical attribution."""
    k = seg_idx - 1
    while k >= 0 and k not in trig_segs:
        k -= 1
    if k >= 0 and _is_list_continuation(text, segments, seg_idx, k, counted):
        prev = [t for t in triggers if segments[k][0] <= t.start < segments[k][1]]
        return prev[-1] if prev else None
    # "About 100 soldiers, US officials said, would deploy with the system": the verb after a parenthetical
    # attribution.
    nxt = seg_idx + 1
    while nxt < len(segments) and any(
        a[0] <= segments[nxt][0] and segments[nxt][1] <= a[1] + 2 for a in att_spans
    ):
        nxt += 1
    if nxt != seg_idx + 1 and nxt < len(segments) and nxt in trig_segs:
        later = [t for t in triggers if segments[nxt][0] <= t.start < segments[nxt][1]]
        if later and re.match(
            r"^\s*(?:would|will|had|have|has|were|was|are|is|could|may|might)\b", text[segments[nxt][0] :]
        ):
            return later[0]
    return None


def _is_list_continuation(
    text: str, segments: list[tuple[int, int]], seg_idx: int, trig_seg: int, counted: bool = False
) -> bool:
    seg_text = text[segments[seg_idx][0] : segments[seg_idx][1]].strip().lower()
    # "..., including support staff" names a part of the whole, unless it lists a package's contents or
    # counts the part ("6,000 troops, including 1,000 deminers").
    if (
        not counted
        and re.match(r"^(?:including|such as|mainly|mostly|notably|especially|among)\b", seg_text)
        and not re.search(
            r"\b(?:package|tranche|aid|assistance|consignment|shipment|worth)\b",
            text[segments[trig_seg][0] : segments[seg_idx][0]],
            re.IGNORECASE,
        )
    ):
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


def _false_trigger(
    t: TriggerMention, triggers: list[TriggerMention], items: list[ItemMention], text: str
) -> bool:
    """A transfer word that reports no transfer in this sentence."""
    word = t.word.lower()
    if word == "armed" and any(it.start <= t.start and t.end <= it.head_start for it in items):
        return True  # "Turkish armed drones": the adjective inside an item phrase
    if word == "ordered" and re.match(r"^\s+(?:[\w-]+\s+){0,4}?to\s+(?!the\b|be\b)[a-z]+\b", text[t.end :]):
        return True  # "Putin ordered troops to withdraw": a command, not a purchase order
    # "Algeria has agreed to buy": the buyer's side of a contract (expected), not a supplier's pledge.
    return t.kind == "pledge" and any(
        u.kind == "receive" and re.fullmatch(r"\s*", text[t.end : u.start]) for u in triggers
    )


def _coordinated(supplier: str | None, sources: list[StateMention], text: str) -> list[str | None]:
    """The supplier and the states listed with it ("from Turkey, Iran and the United Arab Emirates")."""
    ordered = sorted((st for st in sources if st.kind != "person"), key=lambda st: st.start)
    first = next((i for i, st in enumerate(ordered) if st.iso == supplier), None)
    if supplier is None or first is None:
        return [supplier]
    out: list[str | None] = [supplier]
    for prev, nxt in zip(ordered[first:], ordered[first + 1 :], strict=False):
        if not re.fullmatch(r"\s*(?:,|,?\s*(?:and|or))\s*(?:the\s+)?", text[prev.end : nxt.start]):
            break
        if nxt.iso not in out:
            out.append(nxt.iso)
    return out


def _restricted_by_actor(
    item: ItemMention, triggers: list[TriggerMention], states: list[StateMention], text: str
) -> bool:
    """Is a definite item defined by a relative clause naming its sender ("the weapons Pyongyang has sent")?

    Such a phrase introduces the transfer rather than pointing back at one, so it stands as a claim even when
    nothing earlier in the story named the item.
    """
    trigger = next((t for t in triggers if t.start >= item.end), None)
    if trigger is None:
        return False
    gap_states = [
        st for st in states if item.end <= st.start and st.end <= trigger.start and st.kind != "person"
    ]
    if not gap_states:
        # "the drones and ammunition it has received from Iran": a pronoun subject, then an auxiliary.
        return bool(
            re.fullmatch(
                r"(?:\s*(?:,|and|or)\s+[\w-]+){0,3}\s+(?:(?:that|which)\s+)?(?:it|they|we)\s+(?:has|have|had)\s+"
                r"(?:\w+ly\s+)?",
                text[item.end : trigger.start],
            )
        )
    st = gap_states[0]
    before = text[item.end : st.start]
    after = text[st.end : trigger.start]
    return bool(
        re.fullmatch(r"(?:\s*(?:,|and|or)\s+[\w-]+){0,3}\s*(?:(?:that|which)\s+)?", before)
        and re.fullmatch(r"\s+(?:(?:has|have|had)\s+)?(?:\w+ly\s+)?", after)
    )


def _verb_at(att: Attribution, text: str) -> int:
    """Where the attribution's verb sits: states before it belong to the speaker, after it to the audience."""
    m = re.search(r"\b" + re.escape(att.verb) + r"\b", text[att.start : att.end]) if att.verb else None
    return att.start + m.start() if m else att.start
