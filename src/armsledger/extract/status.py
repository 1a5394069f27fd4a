"""Qualifiers of a candidate claim: status, movement time, attributor and the normalised item text."""

from __future__ import annotations

import re

from armsledger.extract.dates import DateExpr
from armsledger.extract.lexicon import ItemTerm, Lexicon
from armsledger.extract.mentions import (
    Attribution,
    ItemMention,
    TriggerMention,
)
from armsledger.extract.offsets import overlaps, segment_of
from armsledger.models import Period, Status


def status_of(
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
        and lex.phrase_res["triggers.pledge"].search(text[max(seg[0], trigger.start - 40) : trigger.start])
        and re.search(r"\bto\s+$", text[max(seg[0], trigger.start - 6) : trigger.start])
    ):
        # "Moscow pledged to deliver S-400 systems", "agreed to supply"; "agreed to buy" is the buyer's
        # side of a contract: goods still to come.
        return Status.EXPECTED if trigger.kind == "receive" else Status.PLEDGED
    if (
        trigger is not None
        and trigger.kind == "nominal"
        and lex.phrase_res["triggers.pledge"].search(text[seg[0] : trigger.start])
    ):
        return Status.PLEDGED  # "Washington approved a $1.2 billion sale of 100 missiles"
    if trigger is not None and (
        trigger.kind == "contract" or lex.phrase_res["triggers.contract"].search(text[seg[0] : trigger.start])
    ):
        return Status.EXPECTED  # a contract, order, deal or arrangement: goods still to come
    if (
        trigger is not None
        and trigger.word.startswith(("compris", "consist", "includ", "contain"))
        and re.search(
            r"\b(?:package|tranche|aid)\b", text[max(0, trigger.start - 60) : trigger.start], re.IGNORECASE
        )
    ):
        return Status.PLEDGED  # "the package contains 1,000 rounds": what a package holds is pledged
    # "could not independently verify the report that 30 railcars crossed": doubt about a report, no plan.
    window = re.sub(
        r"\bcould\s+not\s+(?:\w+ly\s+)?(?:verify|confirm|be\s+verified|be\s+confirmed)\b",
        " ",
        text[window_start:window_end],
        flags=re.IGNORECASE,
    )
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
        if word in ("could", "would") and conversion:
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


def time_for(
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
        if not any(overlaps((d.start_pos, d.end_pos), a) for a in att_spans)
        and (d.start or d.end)
        and not re.search(
            r"\b(?:tested|launched|founded|adopted|created|met|signed|visited)\s+(?:\w+\s+){0,3}$",
            text[max(0, d.start_pos - 30) : d.start_pos],
        )
    ]
    if status is Status.OCCURRED:
        # "3,000 have been moved ... and the total is expected to reach 10,000 by December": that deadline
        # belongs to the forecast, not to what already happened.
        usable = [
            d
            for d in usable
            if not (
                d.kind == "by"
                and re.search(
                    r"\b(?:expected|set|due|likely|poised|planned)\s+to\b|\b(?:will|would|could|may|might)\b",
                    text[max(0, d.start_pos - 60) : d.start_pos],
                )
            )
        ]
    if not usable:
        return None
    if status is Status.PLEDGED and not any(d.kind == "by" for d in usable):
        return None
    item_seg = segment_of(item.start, segments)
    trig_seg = segment_of(trigger.start, segments) if trigger is not None else item_seg
    lo, hi = min(item_seg, trig_seg), max(item_seg, trig_seg)
    # A date in the claim's own clause (or between its trigger and the item) dates it; a date in another
    # clause only when that clause reports no transfer of its own.
    own = [d for d in usable if lo <= segment_of(d.start_pos, segments) <= hi]
    other = [d for d in usable if segment_of(d.start_pos, segments) not in trigger_segments]
    pool = own or other
    if not pool:
        return None
    anchor = trigger.start if trigger is not None else item.start
    pick = own[0] if own else min(pool, key=lambda d: abs(d.start_pos - anchor))
    return Period(pick.start, pick.end)


def normalise_item(phrase: str, term: ItemTerm) -> str:
    """Singular, whitespace-folded item phrase ("MiG-29 fighter jets" -> "MiG-29 fighter jet")."""
    text = re.sub(r"\s+", " ", phrase).strip(" ,.")
    if term.plural:
        low = text.lower()
        for suffix, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
            if low.endswith(suffix) and not low.endswith(("ss", "us", "arms", "personnel", "electronics")):
                text = text[: len(text) - len(suffix)] + repl
                break
    return text


def pick_attribution(atts: list[Attribution], lex: Lexicon) -> tuple[str | None, bool]:
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
    # Pronouns and "the ministry"-style references point back; a bare "officials" is an attributor itself.
    is_ana = t in anaphoric_set or ("the " + t) in anaphoric_set
    return best.text, is_ana
