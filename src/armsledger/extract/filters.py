"""Filters: the cue patterns and checks that say a mention is not a transfer (requests, refusals,
hypotheticals, prohibitions, stocks, presence, contents, prepositional phrases)."""

from __future__ import annotations

import re

from armsledger.extract.mentions import (
    ItemMention,
)
from armsledger.extract.numbers import QuantityMention
from armsledger.extract.offsets import overlaps
from armsledger.models import Category

HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|whether|consider|considers|considering|considered|weigh|weighs|weighing|debate|debating|"
    r"discuss|discusses|discussing|discussed|mull|mulls|mulling|explore|exploring|ruled\s+out|not\s+be\s+ruled|"
    r"policy\s+of|review\s+(?:its|the)\s+(?:\w+\s+){0,2}policy)\b",
    re.IGNORECASE,
)


REFUSAL = re.compile(
    r"\b(?:reluctant|unwilling|refused|refuses|refuse|declined|declines|hesitant|hesitated|resisted|resists|"
    r"rejected\s+calls|ruled\s+out|rules\s+out|won't|will\s+not|would\s+not|cannot|can't)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)


PRESENCE = re.compile(
    r"^\s+(?:are|is|were|was|remain|remained|remains)\s+(?:now\s+|still\s+|already\s+)?(?:in|inside|present|"
    r"stationed|based|operating|fighting|serving|active|deployed\s+in)\b",
    re.IGNORECASE,
)


STOCK = re.compile(
    r"\b(?:hold|holds|held|own|owns|owned|possess|possesses|has|have|had|keeps?|kept|inventory|stocks?|arsenal|"
    r"stockpiles?|reserves?)\b",
    re.IGNORECASE,
)


PACKAGE = re.compile(r"\b(?:package|tranche|aid\s+bundle)\b", re.IGNORECASE)


ANNOUNCED = re.compile(r"\b(?:announc|approv|unveil|pledg|authori[sz]|commit)\w*", re.IGNORECASE)


WARNING_CLAUSE = re.compile(
    r"\b(?:warning|warned|saying|adding|heading|headed|moving)\b[^.;]*$", re.IGNORECASE
)


REQUEST = re.compile(
    r"\b(?:asked|asks|asking|requested|requests|requesting|wants|wanted|seeks|sought|needs|needed|urged|urges|"
    r"appealed|lobbied|lobbying|pleaded|calls\s+for|called\s+for)\b",
    re.IGNORECASE,
)


PROHIBITION = re.compile(
    r"\b(?:prohibits?|prohibited|prohibiting|bans?|banned|banning|barred|bars|forbids?|forbidden|embargo|caps?|"
    r"capped|capping|limits|limited|restricts?|restricted|"
    r"track|tracking|monitor|monitoring|violate|violates|violating|sanctions?\s+on)\b",
    re.IGNORECASE,
)


POST_EXPECTED = re.compile(
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


MOVEMENT_CLASSES = frozenset({"voyage", "flight", "train", "truckload"})


def item_is_transferred(
    item: ItemMention,
    q: QuantityMention | None,
    text: str,
    att_spans: list[tuple[int, int]],
    restricted: bool = False,
) -> bool:
    """Can this noun phrase be the moved thing (not a modifier, container content, vehicle of transport ...)?

    ``restricted``: a relative clause names who moved it ("payment for the weapons Pyongyang has sent"), so a
    preposition before it does not make it a mere complement.
    """
    if item.blocked:
        return False
    if any(overlaps((item.start, item.end), a) for a in att_spans) and not item.virtual:
        return False
    if (item.contents_of is not None or item.in_including) and q is None:
        return False
    lead = text[max(0, item.start - 45) : item.start]
    if q is None and not item.virtual and not restricted and _PREP_BEFORE.search(lead[-25:]):
        return False
    if q is None and re.search(
        r"\b(?:for\s+(?:its|their|his|her)|on|onto|aboard|against)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}"
        r"(?:and|or)\s+$",
        lead,
    ):
        return (
            False  # "guided bombs for its Su-27 and MiG-29 jets": the second half of a prepositional phrase
        )
    if (
        q is None
        and re.search(
            r"\b(?:some|many|most|all|part|none|several|few|each|much)\s+of\s+(?:the|those|these|its|their)\s+$",
            lead,
            re.I,
        )
        # "Beijing supplies most of the ball bearings Russia needs": the share is the claim's object.
        and not re.search(
            r"\b(?:supplies|supplied|supply|provides|provided|provide|sends|sent|delivers|delivered|ships|shipped)"
            r"\s+(?:\w+\s+)?(?:most|much|many|all)\s+of\s+\w+\s+$",
            lead,
            re.I,
        )
    ):
        return False  # "some of the troops were already heading toward Ukraine": a vague part of a known set
    if re.search(
        r"\b(?:capable\s+of|able\s+to|designed\s+to|can|could)\s+(?:carry|carrying|fire|firing|launch|launching|hold|"
        r"holding|deliver|delivering)\s+(?:(?:\w+\s+){0,2}|(?:either\s+|both\s+)?\w+\s+(?:or|and)\s+(?:\w+\s+)?)$",
        lead,
        re.IGNORECASE,
    ) and not re.search(r"\b(?:containers?|railcars?|wagons?|ships?)\b", lead, re.IGNORECASE):
        return False  # "Iskander systems capable of carrying nuclear warheads": what a system can take
    if item.determiner is None and re.search(r"\bto\s+$", lead) and not item.term.plural:
        return False  # "to train in eastern Russia": a verb
    if (
        q is None
        and item.term.category is Category.SHIPMENT
        and re.match(r"^\s+(?:carrying|loaded|laden|packed|filled|full|with)\b", text[item.end :])
    ):
        return False  # "a train carrying 10 of the guns": the vehicle, not the claim
    return not _OF_NON_ITEM.search(lead)
