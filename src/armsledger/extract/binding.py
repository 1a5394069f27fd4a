"""Quantity binding: which number counts which item ("120 M1989 Koksan guns", "ten more", "300 of the
containers"); bare numbers become virtual copies of the item they refer to."""

from __future__ import annotations

import re

from armsledger.extract.lexicon import Lexicon
from armsledger.extract.mentions import (
    ItemMention,
    StateMention,
)
from armsledger.extract.numbers import QuantityMention
from armsledger.models import Quantity

_BARE_VIRTUAL_AFTER = re.compile(
    r"^\s*(?:more\b|in\s+total\b|of\s+(?:them|those|these)\b|(?:it|they|that|which)\s+(?:has|have|had)?\s*\w+|"
    r"[.;]|,|$|the\s+number\s+of\b|(?:in|since|by|during|over|until|last|this|next)\s+(?:\w+\s+)?(?:\d{4}|year|"
    r"month|week|summer|winter|spring|autumn|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|(?:arrived|were|was|have|had|are|is|would|will|could|should|may|might|to\s+be|follow)\b|"
    r"and\b)",
    re.IGNORECASE,
)


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


_SEND_BEFORE = re.compile(
    r"\b(?:send|sends|sent|deliver|delivers|delivered|supply|supplies|supplied|deploy|deploys|deployed|provide|"
    r"provides|provided|ship|ships|shipped|transfer|transferred|donate|donated|pledged|promised)\s+"
    r"(?:another\s+|a\s+further\s+|an\s+additional\s+|some\s+|up\s+to\s+|as\s+many\s+as\s+|about\s+|around\s+|"
    r"more\s+than\s+|at\s+least\s+|over\s+)?$",
    re.IGNORECASE,
)


def bind_quantities(
    text: str,
    items: list[ItemMention],
    quantities: list[QuantityMention],
    lex: Lexicon,
    states: list[StateMention] | None = None,
    fallback: ItemMention | None = None,
) -> dict[int, QuantityMention]:
    """Map item index -> the quantity counting it; bare numbers become virtual items (``fallback``: the last
    item of the previous sentences, for a number whose item the sentence leaves out)."""
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
        if antecedent is None and fallback is not None and _SEND_BEFORE.search(text[: q.start]):
            # "Pyongyang may send as many as 12,000." after a sentence about soldiers: the story's last item.
            antecedent = fallback
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


def to_quantity(q: QuantityMention | None) -> Quantity:
    if q is None:
        return Quantity()
    return Quantity(value=q.value, low=q.low, high=q.high, qualifier=q.qualifier, unit=q.unit)
