"""Roles: which state mentions are supplier, recipient or destination in a sentence ("from X to Y",
subjects of sending or receiving, ditransitive objects, demonyms on items, places), and where the goods go."""

from __future__ import annotations

import re
from itertools import pairwise

from armsledger.extract.lexicon import Lexicon
from armsledger.extract.mentions import (
    Attribution,
    ItemMention,
    StateMention,
    TriggerMention,
    clause_segments,
)
from armsledger.extract.offsets import overlaps, segment_of

_SOURCE_BEFORE = re.compile(r"\b(?:from|by|of)\s+(?:the\s+)?$", re.IGNORECASE)


_DEST_BEFORE = re.compile(
    r"\b(?:to|into|for|onto)\s+(?:the\s+)?(?:neither\s+|either\s+)?(?:\w+ern\s+)?$",
    re.IGNORECASE,
)


_SANCTIONER_AFTER = re.compile(
    r"^(?:'s|’s)?\s+(?:Treasury(?:\s+Department)?|Commerce\s+Department|State\s+Department|government|authorities)?"
    r"\s*(?:has\s+|had\s+|have\s+)?(?:placed|put|sanctioned|blacklisted|designated|imposed\s+sanctions)\b",
    re.IGNORECASE,
)

_IN_BEFORE = re.compile(r"\b(?:in|at|inside|within)\s+(?:the\s+)?(?:\w+ern\s+)?$", re.IGNORECASE)


_NOR_BEFORE = re.compile(r"\b(?:nor|or|and)\s+(?:the\s+)?$", re.IGNORECASE)


_REGION_AFTER = re.compile(
    r"^\s+(?:region|oblast|province|area|port|base|airbase|air base|district|krai|front)\b", re.I
)


IRREGULAR_PARTICIPLES = frozenset(
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


DOMESTIC = "XXX"  # marker: the claim moves forces inside one state and is dropped


ARRIVAL_WORDS = frozenset(
    {"arrived", "arrive", "arrives", "arriving", "reached", "reach", "land", "landed", "flew into", "flew in"}
)


def role_slots(
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
    segments = clause_segments(text, lex)
    support_re = lex.phrase_res["support_verbs"]
    for s in states:
        if any(overlaps((s.start, s.end), e) for e in excluded):
            continue
        if re.search(r"\bwith\s+(?:the\s+)?$", text[max(0, s.start - 10) : s.start]) and any(
            t.end <= s.start and t.word.lower().startswith("shar") for t in triggers
        ):
            dests.append(s)  # "Russia was sharing technology with Tehran"
            continue
        if (
            re.search(r"\b(?:that|which)\s+$", text[max(0, s.start - 8) : s.start])
            and s.text.endswith(("'s", "’s"))
            and re.match(
                r"^\s+(?:[\w-]+\s+){0,3}(?:needs?|uses?|requires?|lacks?|relies\s+on|depends\s+on)\b",
                text[s.end :],
            )
        ):
            dests.append(s)  # "supplier of the machine tools ... that Russia's defence industry needs"
            continue
        if _SANCTIONER_AFTER.match(text[s.end :]):
            continue  # "the U.S. Treasury placed under sanctions last year": the sanctioning state is no party
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
            agent_of = [t for t in triggers if t.end <= s.start and 0 <= s.start - t.end <= 12]
            if by and agent_of and agent_of[-1].kind in ("contract", "receive"):
                dests.append(s)  # "jets ordered by Myanmar's military", "drones bought by Russia": the buyer
                continue
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
        first = _subject_of(text, s, states, triggers, excluded, segments)
        if first is not None:
            # Passive only with a participle: "was sent", "has been promised" (not "is covertly supplying").
            passive = re.search(
                r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+\s+)?$", text[: first.start], re.I
            ) and (first.word.endswith(("ed", "en")) or first.word in IRREGULAR_PARTICIPLES)
            if (
                passive
                and first.kind in ("send", "pledge")
                and not re.match(r"^\s+(?:to|by|from|into)\b", text[first.end :])
                # The state itself is the passive subject ("Ukraine has been promised"), not a speaker whose
                # clause has another subject ("Pyongyang said the troops were sent under the treaty").
                and re.fullmatch(
                    r"(?:'s|’s)?\s+(?:(?:has|have|had|was|were|is|are|will|would|could|may)\s+)?(?:(?:been|be|being)\s+)?"
                    r"(?:\w+ly\s+)?",
                    text[s.end : first.start],
                )
            ):
                dests.append(s)  # "Ukraine has been promised 65 F-16s", "Kyiv was given ..."
            elif first.kind == "contract" and any(t.kind == "receive" for t in triggers):
                dests.append(s)  # "Poland's defence ministry signed a contract to buy 96 Apaches"
            elif first.kind == "contract" and any(
                t.kind == "send"
                and t.start > first.end
                and not any(first.end <= o.start < t.start for o in states)  # not "for Russia to supply"
                for t in triggers
            ):
                sources.append(s)  # "Belgium signed an agreement in May to deliver 30 jets"
            elif passive or first.kind == "contract":
                rest.append(s)
            elif first.kind == "receive" and first.word not in ARRIVAL_WORDS:
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


def _subject_of(
    text: str,
    s: StateMention,
    states: list[StateMention],
    triggers: list[TriggerMention],
    excluded: list[tuple[int, int]],
    segments: list[tuple[int, int]],
) -> TriggerMention | None:
    """The trigger whose clause subject ``s`` is: the closest state before it, in its clause (or before the
    sentence's first trigger). "Britain has delivered 14 Challengers" in the third clause of a list."""
    for i, t in enumerate(triggers):
        if t.start < s.end:
            continue
        receiver = t.kind == "receive" and t.word not in ARRIVAL_WORDS
        if closest_before(states, t.start, excluded, receiver=receiver) is not s:
            return None
        if i == 0:
            return t
        # A later clause's subject sits right before its verb: "..., and Britain has delivered 14 Challengers".
        gap = text[s.end : t.start]
        if segment_of(s.start, segments) == segment_of(t.start, segments) and re.fullmatch(
            r"\s*(?:(?:has|have|had|is|are|was|were|will|would|also|now|already|then|not|been|\w+ly)\s+)*",
            gap,
        ):
            return t
        return None
    return None


def closest_before(
    states: list[StateMention], pos: int, excluded: list[tuple[int, int]], *, receiver: bool = False
) -> StateMention | None:
    # A demonym is a subject only of receiving ("Ukrainian brigades received ..."); "the Russian ambassador"
    # before "sending" is no sender.
    skip = ("person", "origin", "place") if receiver else ("person", "demonym", "origin", "place")
    before = [
        s
        for s in states
        if s.end <= pos and s.kind not in skip and not any(overlaps((s.start, s.end), e) for e in excluded)
    ]
    return before[-1] if before else None


def is_state_only(att: Attribution, states: list[StateMention]) -> bool:
    """Is the attributor just a state ("Tehran", "the Kremlin", "Canada")?"""
    if not att.text or att.embedded:
        return False
    inside = [s for s in states if att.start <= s.start < att.end and s.kind not in ("person", "place")]
    name = re.sub(r"^the\s+", "", att.text, flags=re.IGNORECASE).lower()
    return len(inside) == 1 and name == re.sub(r"^the\s+", "", inside[0].text, flags=re.IGNORECASE).lower()


def roles_for(
    item: ItemMention,
    sources: list[StateMention],
    dests: list[StateMention],
    rest: list[StateMention],
    text: str,
    seg: tuple[int, int] | None = None,
) -> tuple[str | None, list[str | None], bool, bool]:
    """Supplier and recipient(s): coordinated destinations ("to neither Ukraine nor Russia") give several."""
    # "from X" names the supplier; else a state on the item itself ("North Korean troops", "South
    # Korean-made tanks") beats the clause subject ("Russian navy ships had carried ... North Korean troops").
    # Sources in the item's own clause come first ("The US has provided Ukraine with 31 Abrams, 76 Leopards
    # have been sent by Germany, and Britain has delivered 14 Challengers").
    pp = [s for s in sources if _SOURCE_BEFORE.search(text[max(0, s.start - 40) : s.start])]
    local = [s for s in sources if seg is not None and seg[0] <= s.start < seg[1]]
    pp_local = [s for s in pp if s in local]
    supplier: str | None
    if pp_local:
        supplier = pp_local[0].iso
    elif item.modifier_states:
        supplier = item.modifier_states[0]
    elif local:
        supplier = local[0].iso
    elif pp:
        supplier = pp[0].iso
    else:
        supplier = sources[0].iso if sources else None
    recipients: list[str | None] = []
    for i, d in enumerate(dests):
        if d.iso == supplier and d.kind == "place":
            # "Russia moved 20,000 troops to the Kursk region": forces moved inside their own state.
            return supplier, [DOMESTIC], True, True
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


def location_for(
    states: list[StateMention], recipient: str | None, att_spans: list[tuple[int, int]], text: str
) -> str | None:
    for s in states:
        if s.kind != "place" or any(overlaps((s.start, s.end), a) for a in att_spans):
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
