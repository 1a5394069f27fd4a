"""Mentions inside one sentence: states, items (noun phrases), triggers, attribution and clause segments.

All offsets are relative to the sentence text. Nothing here decides what a claim is; ``frames`` binds
mentions into claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from armsledger.extract.lexicon import ItemTerm, Lexicon
from armsledger.models import Category

_DETERMINERS = {
    "the", "these", "those", "this", "that", "its", "their", "his", "her", "our", "such", "both", "any", "no",
    "a", "an", "some", "each", "every", "all", "another", "other", "either", "neither",
}  # fmt: skip
_NP_STOP = _DETERMINERS | {
    "of", "to", "for", "from", "with", "in", "on", "by", "into", "at", "as", "and", "or", "nor", "but", "than",
    "has", "have", "had", "is", "are", "was", "were", "be", "been", "being", "will", "would", "may", "might",
    "could", "can", "should", "said", "says", "more", "fewer", "less", "most", "about", "around", "over",
    "under", "including", "plus", "also", "already", "first", "initial", "remaining", "last", "further",
    "onto", "aboard", "via", "against", "near", "toward", "towards", "inside", "within", "behind",
    "across", "through", "after", "before", "between", "like", "per", "without", "while", "despite", "unto",
    "once", "until", "unless", "if", "when", "where", "whose", "whom", "include", "includes", "included",
    "contain", "contains", "contained", "comprise", "comprises", "comprised", "featuring", "feature",
    "features", "featured", "say", "told", "tell", "tells", "make", "makes", "made", "get", "got",
    "need", "needs", "want", "wants", "use", "uses", "used", "keep", "kept", "see", "saw", "seen", "become", "became",
    "remain", "remains", "remained", "reach", "reached", "reaches", "total", "totals", "totalled", "totaled",
    "amount", "amounts", "amounted", "bring", "brings", "brought", "send", "sends", "sent", "supply", "supplies",
    "supplied", "deliver", "delivers", "delivered", "provide", "provides", "provided", "receive", "receives",
    "received", "ship", "ships", "shipped", "promise", "promised", "pledge", "pledged", "approve", "approved",
    "worth", "valued", "costing", "so", "far", "now", "then", "there", "here", "only", "just", "even",
    "additional", "new", "several", "many", "much", "few", "up", "it", "they", "which", "who", "not",
}  # fmt: skip
_ORDINALS = {
    "first", "initial", "remaining", "last", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "final", "next", "latest", "other",
}  # fmt: skip
_WORD = re.compile(r"[\w][\w.'’-]*(?:,\d{3}[\w-]*)*")
_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "dozen", "mln", "bn",
    "least", "dozens", "hundreds", "thousands", "millions", "several", "few", "some", "number", "half",
    "half-dozen",
}  # fmt: skip
_INCLUDING = re.compile(
    r"\b(?:including|such\s+as|among\s+them|notably|especially|mainly|mostly)\b", re.IGNORECASE
)
_CONTENT_LINK = re.compile(
    r"^\s*(?:of|loaded\s+with|laden\s+with|packed\s+with|filled\s+with|full\s+of|carrying|containing|holding|"
    r"stuffed\s+with|crammed\s+with)\s",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StateMention:
    start: int
    end: int
    iso: str
    kind: str  # name | short | demonym | capital | institution | context | place | person
    text: str


@dataclass(slots=True)
class ItemMention:
    """A materiel or personnel noun phrase; ``head`` is the lexicon term that ends it."""

    start: int
    end: int
    head_start: int
    term: ItemTerm
    phrase: str
    determiner: str | None = None
    ordinal: str | None = None
    modifier_states: list[str] = field(default_factory=list)
    contents_of: int | None = None  # index of the carrier item whose contents this is
    in_including: bool = False
    blocked: bool = False
    virtual: bool = False  # created from a bare number ("ten more") by copying an antecedent
    gap_state: str | None = None  # "Denmark has pledged 19, the Netherlands 24": the state before the number
    anchor_end: int | None = None  # "the first two of eight NASAMS ... arrived": end of the counted phrase


@dataclass(frozen=True, slots=True)
class TriggerMention:
    start: int
    end: int
    kind: str  # send | receive | pledge | nominal
    word: str


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int  # span of the whole attribution clause (its states are not actors)
    end: int
    text: str | None  # cleaned attributor, None when vague
    verb: str
    deny: bool = False
    embedded: bool = False  # "the containers the White House says were moved": never an actor


def find_states(text: str, lex: Lexicon, korean_context: bool) -> list[StateMention]:
    """State mentions: names, demonyms, capitals, institutions, places (as their state)."""
    out: list[StateMention] = []
    for m in lex.state_re.finditer(text):
        alias = m.group(1)
        iso, kind = lex.states[alias]
        if kind == "context" and not korean_context:
            continue
        if alias == "US" and m.start() > 0 and text[m.start() - 1] == "-":
            continue
        if re.match(
            r"^\s+(?:Pact|Treaty|Convention|Format|Process|Declaration|Accords?|Protocol|Post|Times|Journal|Herald|"
            r"Independent|Institute|University|Center|Centre|Council|International)\b",
            text[m.end() :],
        ):
            continue  # "Warsaw Pact members", "Minsk format": a name, not the state
        # "Soviet-designed jets", "Russian-flagged ship": origin of design, not an actor. "Czech-led" and
        # "Iranian-supplied" do name the actor.
        hyph = re.match(r"^-([a-z]+)", text[m.end() :])
        if hyph and hyph.group(1) in {"made", "built", "produced", "manufactured"}:
            kind = "origin"  # "South Korean-made K2 tanks": names the maker, usually the supplier
        elif hyph and hyph.group(1) not in {
            "led", "sourced", "supplied", "provided", "donated", "funded", "delivered", "sent", "organised",
            "organized", "brokered",
        }:  # fmt: skip
            continue
        # "Israel Katz", "Jordan Peterson": a state word followed by a capitalised surname is a person.
        nxt = text[m.end() : m.end() + 20]
        if (
            kind == "name"
            and re.match(r"^ [A-Z][a-z]+(?!\s+(?:and|or))\b", nxt)
            and not re.match(
                r"^ (?:Army|Navy|Air|Defen[cs]e|Foreign|Ministry|Forces|Government|Border|Coast|Security|National|"
                r"President|Prime|Minister|Armed|Central|Military|State|Federal|Special|Republic|Guard)",
                nxt,
            )
        ):
            prev = text[max(0, m.start() - 25) : m.start()]
            if re.search(r"(?:Minister|Secretary|General|President|Mr\.|Ms\.|Defence|Defense)\s+$", prev):
                continue
        out.append(StateMention(m.start(), m.end(), iso, kind, m.group(0)))
    for m in lex.place_re.finditer(text):
        clash = [s for s in out if s.start <= m.start() < s.end or m.start() <= s.start < m.end()]
        if any(s.end - s.start >= m.end() - m.start() for s in clash):
            continue
        # A longer place name wins over a state word inside it ("Minsk Mazowiecki" is in Poland).
        out = [s for s in out if s not in clash]
        out.append(StateMention(m.start(), m.end(), lex.places[m.group(1)], "place", m.group(1)))
    for m in lex.person_re.finditer(text):
        if any(s.start <= m.start() < s.end for s in out):
            continue
        # "Kim Jong Un's government", "Putin's regime": the leader's state itself.
        gov = re.match(
            r"^['’]s\s+(?:government|regime|administration|country|forces|military|army|navy|state)\b",
            text[m.end() :],
        )
        kind = "name" if gov else "person"
        end = m.end() + gov.end() if gov else m.end()
        out.append(StateMention(m.start(), end, lex.persons[m.group(1)], kind, text[m.start() : end]))
    out.sort(key=lambda s: s.start)
    # Drop mentions nested inside a longer one ("Korea" inside "North Korea" is already excluded by the
    # longest-first alternation; this guards against place/person overlaps).
    kept: list[StateMention] = []
    for s in out:
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    return kept


def _is_modifier_word(word: str, lex: Lexicon) -> bool:
    low = word.lower()
    if low in _NP_STOP or low in _NUMBER_WORDS or low in lex.word_sets["attribution_verbs"]:
        return False
    if "-" in low and all(part in _NUMBER_WORDS for part in low.split("-")):
        return False  # "Thirty-eight M1A2T tanks": the count, not a modifier
    if re.fullmatch(r"[\d.,]+[mk]|[\d.,]+(?:bn|mn)", low):
        return False
    if re.fullmatch(r"\d+(?:\.\d+)?\s?mm|\d[\d,]*-[a-z]+(?:-[a-z]+)*|[\d.]+-inch", low):
        return True
    if re.fullmatch(r"\d[\d,.]*(?:[-–]\d[\d,.]*)?", low):
        return False
    if low.endswith("ing") and low not in {"fighting", "loitering", "warning"}:
        # "-ing" words are mostly verbs; listed noun modifiers ("training jets", "demining vehicles") are not.
        return low in lex.word_sets["np_modifiers"] and low != "shipping"
    if low.endswith("ly"):
        return False
    if low in lex.word_sets["triggers.send"] or low in lex.word_sets["triggers.receive"]:
        # Mostly verbs; a few are also ordinary noun modifiers ("transport helicopters", "supply trucks").
        return low in {"armed", "guided", "mounted"} or low in lex.word_sets["np_modifiers"]
    # Proper nouns, model codes and hyphenated compounds ("Koksan", "M1989", "Pantsir-class") modify; of
    # lower-case words only known modifiers and adjective-shaped words do ("help assemble drones" is no NP).
    if word[:1].isupper() or any(ch.isdigit() for ch in word) or "-" in word:
        return True
    if low in lex.word_sets["np_modifiers"] or low in lex.items:
        return True
    return bool(re.search(r"(?:al|ic|ive|ary|ian|ese|ish|ern|less|ous|ful|able|ible|ile|ant|ent|ior)$", low))


_COUNTABLE: dict[int, frozenset[str]] = {}


def _countable_terms(lex: Lexicon) -> frozenset[str]:
    key = id(lex)
    if key not in _COUNTABLE:
        _COUNTABLE[key] = frozenset(t.term for t in lex.items.values() if t.plural)
    return _COUNTABLE[key]


def find_items(text: str, lex: Lexicon, states: list[StateMention]) -> list[ItemMention]:
    """Item noun phrases, each ending in its last lexicon term; modifiers extend it to the left."""
    matches = [m for m in lex.item_re.finditer(text)]
    items: list[ItemMention] = []
    i = 0
    while i < len(matches):
        m = matches[i]
        # Join a run of terms separated only by modifier words: "KN-23 ballistic missiles".
        j = i
        while j + 1 < len(matches):
            gap = text[matches[j].end() : matches[j + 1].start()]
            words = _WORD.findall(gap)
            model_no = matches[j].group(0)[:1].isupper()
            if (
                re.fullmatch(r"(?:[\s\w.-]|,(?=\d))*", gap)
                and len(words) <= 3
                and all(
                    _is_modifier_word(w, lex) or (model_no and re.fullmatch(r"\d+[A-Za-z0-9]*", w))
                    for w in words
                )
            ):
                j += 1
            else:
                break
        last = matches[j]
        term = lex.items[last.group(1).lower()]
        start = m.start()
        # A bare singular term followed by "and"/"or" is a coordinated modifier ("gun and rocket artillery units").
        after = text[last.end() :]
        countable = term.term in _countable_terms(lex)
        shared_modifier = last.group(0).lower() in lex.word_sets["shared_modifiers"]
        if (
            shared_modifier
            and not term.plural
            and re.match(r"^\s+(?:and|or)\s+\w", after)
            and j + 1 < len(matches)
        ):
            prev_word = _WORD.findall(text[:start])[-1:] or [""]
            if prev_word[0].lower() not in _DETERMINERS and not re.match(r"[\d]", prev_word[0]):
                nxt = matches[j + 1]
                # "gun and rocket artillery units", "artillery and rocket rounds": a shared modifier. A mass
                # noun needs a modifier after the "and" ("arms and ammunition" are two things).
                next_compound = j + 2 < len(matches) and re.fullmatch(
                    r"\s+", text[matches[j + 1].end() : matches[j + 2].start()]
                )
                gap_re = (
                    r"\s+(?:and|or)\s+[\w\s-]*"
                    if countable or next_compound
                    else r"\s+(?:and|or)\s+[\w-]+\s+[\w\s-]*"
                )
                if re.fullmatch(gap_re, text[last.end() : nxt.start()]):
                    i = j + 1
                    continue
        # Extend left over modifiers (proper nouns, calibres, hyphenated adjectives).
        k = start
        prefix_words = list(_WORD.finditer(text[:start]))
        modifier_states: list[str] = []
        for w in reversed(prefix_words):
            between = text[w.end() : k]
            if not re.fullmatch(r"\s*", between):
                break
            st = next((s for s in states if s.start <= w.start() < s.end), None)
            if st is not None and st.kind in ("demonym", "name", "capital", "short", "origin"):
                if st.kind not in ("demonym", "origin") and not st.text.endswith(("'s", "’s")):
                    break
                modifier_states.append(st.iso)
                k = st.start
                continue
            if not _is_modifier_word(w.group(0), lex):
                break
            k = w.start()
        phrase = text[k : last.end()]
        # Determiner and ordinal before the phrase.
        before_words = [w.lower() for w in _WORD.findall(text[:k])[-3:]]
        ordinal = None
        det = None
        for w in reversed(before_words):
            if w in _ORDINALS and ordinal is None:
                ordinal = w
                continue
            if w in {"new", "additional", "further", "extra", "more", "latest", "same"}:
                continue  # "the new launchers": the determiner sits before the adjective
            if w in _DETERMINERS:
                det = w
            break
        if ordinal is None and re.search(
            r"\b(?:more|further|additional|another)\s+(?:of\s+(?:the|its|their|these|those)\s+)?$",
            text[max(0, k - 30) : k],
            re.IGNORECASE,
        ):
            ordinal = (
                "more"  # "more of the K2s", "further Patriot batteries": a new transfer, not a restatement
            )
        if term.term == "fighter" and re.search(
            r"\b(?:wagner|foreign|militant|rebel|islamist|mercenary|volunteer|isis|taliban|hezbollah|houthi|"
            r"its|their|group's)\s+$",
            text[max(0, k - 25) : last.start()],
            re.IGNORECASE,
        ):
            # "1,000 Wagner fighters", "foreign fighters": people, not aircraft.
            term = ItemTerm("fighter", Category.PERSONNEL, "troops", generic=True, plural=term.plural)
        item = ItemMention(
            start=k,
            end=last.end(),
            head_start=last.start(),
            term=term,
            phrase=phrase,
            determiner=det,
            ordinal=ordinal,
            modifier_states=modifier_states,
        )
        nxt_word = re.match(r"^[\s]*([\w-]+)", after)
        # "munitions factories", "missile terror": the term modifies a non-item head. A following item
        # term (e.g. "artillery units") is handled by the lexicon itself.
        if (
            nxt_word
            and nxt_word.group(1).lower() in lex.word_sets["block_after_item"]
            and (not lex.item_re.match(after.lstrip()) or nxt_word.group(1).lower() in {"crews", "crew"})
        ):
            item.blocked = True
        if re.search(r"[\w]-$", text[:k]) or re.match(r"^-\w", after):
            item.blocked = True
        if re.match(r"^['’](?:s\b|\s)", after):
            item.blocked = True  # "the drone's first customers", "a battalion's worth": a possessor
        items.append(item)
        i = j + 1
    # A phrase inside a longer one is the same mention ("MK-84" inside "MK-84 2,000-pound bombs").
    items = [
        it for it in items if not any(o is not it and o.start <= it.start and it.end <= o.end for o in items)
    ]
    _mark_contents_and_including(text, items)
    return items


_PACKAGE_BEFORE = re.compile(
    r"\b(?:package|tranche|aid|assistance|consignment|shipment|deliveries|worth|billion|million)\b[^;.]*$",
    re.IGNORECASE,
)


def _mark_contents_and_including(text: str, items: list[ItemMention]) -> None:
    for idx, item in enumerate(items):
        # Contents of a carrier or the "of" complement of a counted noun: "containers of munitions",
        # "rounds of 155mm ammunition", "containers loaded with weapons and ammunition".
        for prev_idx in range(idx - 1, -1, -1):
            prev = items[prev_idx]
            gap = text[prev.end : item.start]
            if _CONTENT_LINK.match(gap + " ") and len(gap) < 60 and not re.search(r"[,;]", gap):
                item.contents_of = prev_idx
                break
            if prev.contents_of is not None and re.fullmatch(
                r"\s*(?:,\s*)?(?:and|or)\s+(?:[\w-]+\s+){0,2}", gap
            ):
                item.contents_of = prev.contents_of
            break
        lead = text[max(0, item.start - 40) : item.start]
        inc = list(_INCLUDING.finditer(lead))
        if inc and not re.search(r"[;.]", lead[inc[-1].end() :]):
            # "13,000 troops, including support staff" names a part of a counted whole; "a package worth
            # 1.4 billion euros, including IRIS-T systems and Skynex guns" lists the package's contents.
            inc_at = max(0, item.start - 40) + inc[-1].start()
            if not _PACKAGE_BEFORE.search(text[max(0, inc_at - 70) : inc_at]) and _COUNTED_WHOLE.search(
                text[max(0, inc_at - 50) : inc_at]
            ):
                item.in_including = True


# A whole with a number ("13,000 troops, including support staff") contains what it lists; an uncounted one
# ("nuclear weapons, including bombs ...") names its parts as claims of their own.
_COUNTED_WHOLE = re.compile(
    r"\d|\b(?:dozens?|hundreds?|thousands?|millions?|several|a\s+few|two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b",
    re.IGNORECASE,
)


_MOTION_NEEDS_PATH = frozenset(
    [
        "went",
        "gone",
        "go",
        "goes",
        "travel",
        "travelled",
        "traveled",
        "travelling",
        "cross",
        "crossed",
        "crossing",
        "flow",
        "flows",
        "flowed",
        "flowing",
        "pour",
        "poured",
        "pouring",
        "left",
        "depart",
        "departed",
        "flown",
        "head",
    ]
)
_PATH_AFTER = re.compile(
    r"^\s+(?:[\w,-]+\s+){0,10}?(?:to|into|toward|towards|for|across|through|from|via|over)\b"
    r"(?!\s+(?:the\s+)?(?:war|battle|combat|service|action|effect|force|history|production)\b)",
    re.IGNORECASE,
)


def find_triggers(text: str, lex: Lexicon) -> list[TriggerMention]:
    """Transfer triggers (verbs and nouns) with their kind."""
    out: list[TriggerMention] = []
    taken: list[tuple[int, int]] = []
    for kind in ("receive", "pledge", "send", "contract", "nominal"):
        for m in lex.phrase_res[f"triggers.{kind}"].finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if re.search(
                r"\b(?:any|no|possible|potential|would-be|hypothetical)\s+(?:\w+\s+)?$",
                text[: m.start()],
                re.I,
            ):
                continue  # "watching for any transfer of ..." is not a report of one
            if (
                kind == "send"
                and re.search(
                    r"\b(?:can|cannot|could|able\s+to|capable\s+of|designed\s+to)\s+(?:\w+\s+)?$",
                    text[: m.start()],
                    re.I,
                )
                and m.group(0).lower().startswith(("carr", "transport", "deliver", "fire", "launch"))
            ) and not re.search(r"\b(?:if|hold)\b", text, re.IGNORECASE):
                continue  # "can carry up to four small guided bombs": what a system can do, not a transfer
            if m.group(0).lower().endswith("ed") and re.search(
                r"\b(?:the|its|their|his|her|these|those|our|a|an)\s+$", text[: m.start()], re.IGNORECASE
            ):
                continue  # "the promised Mirage jets", "the supplied rockets": an adjective, not the verb
            if re.match(r"^\s+down\b", text[m.end() :]):
                continue  # "could bring down cruise missiles"
            if m.group(0).lower() in _MOTION_NEEDS_PATH and not _PATH_AFTER.match(text[m.end() :]):
                continue  # "went", "crossed", "left" report a transfer only with a route ("crossed into Russia")
            if kind == "pledge":
                # "pledged to closely monitor", "promised to deepen cooperation": a promise of something else.
                to_verb = re.match(r"^\s+to\s+(?:\w+ly\s+)?([a-z]\w*)", text[m.end() :])
                if to_verb and to_verb.group(1) not in lex.word_sets["triggers.send"]:
                    continue  # ("committed to Kyiv" names a recipient, not a verb)
            out.append(TriggerMention(m.start(), m.end(), kind, m.group(0).lower()))
            taken.append((m.start(), m.end()))
    for m in re.finditer(r"\b(?:on\s+(?:their|its)\s+way|en\s+route|in\s+transit)\b", text, re.IGNORECASE):
        out.append(TriggerMention(m.start(), m.end(), "send", m.group(0).lower()))
    out.sort(key=lambda t: t.start)
    return out


_LEAD_TRIM = re.compile(
    r"^(?:(?:in|on|at|during|late|early|earlier|later|last|this|next|meanwhile|separately|also|however|"
    r"but|and|yet|still|then|now|speaking|according)\b[^,]*,\s*)+",
    re.IGNORECASE,
)
_TAIL_TRIM = re.compile(
    r"\s+(?:(?:has|have|had|also|again|likewise|both|repeatedly|previously|earlier|later|now|had|already|"
    r"publicly|officially|reportedly|separately|further|long|recently|consistently|flatly|firmly|\w+ly|"
    r"on\s+\w+day|last\s+\w+|this\s+\w+|on\s+\w+\s+\d+|in\s+\w+)\b)+$",
    re.IGNORECASE,
)


def clean_attributor(raw: str) -> str | None:
    """Trim an attribution noun phrase to the attributor ("Last week U.S. officials" -> "U.S. officials")."""
    text = raw.strip(" ,;:—–-\"'“”")
    # A dateline ("TEHRAN — Iran", "BERLIN (Reuters) - Germany").
    text = re.sub(r"^[A-Z][A-Z .'’-]+(?:\s*\([^)]*\))?\s*[—–-]+\s*", "", text)
    text = _LEAD_TRIM.sub("", text)
    text = re.sub(
        r"^(?:last|this|next)\s+(?:week|month|year)\s+|^(?:on|in|late|early)\s+\w+\s+|^earlier\s+(?:on\s+)?\w+\s+",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = _TAIL_TRIM.sub("", text)
    # "a report by Open Source Centre", "estimates from the Kiel Institute": the author is the attributor.
    text = re.sub(
        r"^(?:an?\s+|the\s+)?(?:new\s+|latest\s+|recent\s+)?(?:report|study|analysis|assessment|estimates?|data|"
        r"figures|statement|review|investigation)\s+(?:by|from|of)\s+(?:the\s+)?",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE).strip(" ,")
    if "," in text:
        # "Looking ahead, Seoul's NIS": drop introductory phrases; "Kim Yo Jong, the influential sister of ...,
        # on Friday": keep the name before the appositive.
        chunks = [c.strip() for c in text.split(",") if c.strip()]
        # The chunk nearest the verb that starts like a name: "Hours later in Washington, President Joe Biden".
        named = [
            c
            for c in chunks
            if c[:1].isupper()
            and not re.match(
                r"^(?:\w+ing|\w+ly|in|on|at|after|before|during|with|for|as|last|earlier|later|hours|days|weeks|"
                r"months|years|speaking|looking)\b",
                c,
                re.I,
            )
        ]
        if named:
            text = named[-1]
    # "For more than a year both governments": a leading time phrase without a comma.
    text = re.sub(
        r"^(?:for|over|since|in|during)\s+(?:more\s+than\s+|nearly\s+|almost\s+)?(?:a|an|the\s+past|two|three|"
        r"several|many)\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|decades?)\s+",
        "",
        text,
        flags=re.IGNORECASE,
    )
    if not text or len(text.split()) > 14 or not _looks_like_attributor(text):
        return None
    return text


def _looks_like_attributor(text: str) -> bool:
    """Reject fragments that are no speaker ("was", "they quoted him as", "most detailed public")."""
    words = text.split()
    if re.search(r"\b(?:quoted|quoting)\b|\bas$", text, re.IGNORECASE):
        return False
    if len(words) == 1 and words[0].lower() in _NP_STOP | {
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "it",
        "this",
    }:
        return False
    # A speaker is a name, an institution or a noun ("officials", "the ministry"), not an adjective run.
    return not re.fullmatch(
        r"(?:most|more|less|least|very)\s+(?:\w+\s+)*\w+(?:ed|ic|al|ful|ive|ous)", text, re.I
    )


def find_attributions(text: str, lex: Lexicon) -> list[Attribution]:
    """Who the sentence says makes the claim: "according to X", "X said", "X told ... that", "X denied"."""
    out: list[Attribution] = []
    deny_words = lex.word_sets["denial"]
    for m in re.finditer(
        r"\b(?:according\s+to|citing|cited\s+by)\s+((?:(?:[A-Z]\.){2,}|[^,;.])+)", text, re.IGNORECASE
    ):
        out.append(Attribution(m.start(), m.end(), clean_attributor(m.group(1)), "according to"))
    for m in lex.phrase_res["attribution_verbs"].finditer(text):
        verb = m.group(0).lower()
        head = text[: m.start()]
        tail = text[m.end() :]
        deny = verb in deny_words
        # Embedded: "the 1,000 containers the White House says were moved to Russia".
        embedded = re.search(r"(?:\bthe\s+)?(?:[A-Z][\w.'’-]*\s+){1,5}$", head)
        if (
            embedded
            and embedded.start() > 0
            and re.match(r"^\s+(?:were|was|had|have|has|is|are|would|will)\b", tail)
            and re.search(r"\w\s+$", head[: embedded.start()] + " ")
            and not re.search(r"(?:^|[,.;:]\s*)$", head[: embedded.start()])
        ):
            out.append(
                Attribution(
                    embedded.start(), m.end(), clean_attributor(embedded.group(0)), verb, deny, embedded=True
                )
            )
            continue
        # Trailing: ", X said (on Monday)." — the subject sits between the last comma and the verb.
        comma = max(head.rfind(", "), head.rfind(" — "), head.rfind(" – "))
        # Trailing: ", X said (on Monday)." — the verb ends its clause (a time or audience phrase may follow).
        trailing = comma >= 0 and _TRAILING_TAIL.match(tail) is not None
        if trailing:
            subject = head[comma + 2 :]
            if (
                0 < len(subject.split()) <= 12
                and not lex.phrase_res["triggers.send"].search(subject)
                and not re.match(
                    r"^\W*(?:as|in|on|at|for|with|by|from|of|part|after|before|to)\b", subject, re.I
                )
                and not re.search(r"[$€£]|\d", subject)
                and not (verb in ("pledged", "promised") and not _has_person(subject, lex))
                and not (
                    lex.item_re.search(subject)
                    and not re.search(
                        r"\b(?:intelligence|ministry|agency|officers?|officials?|advis[eo]rs?|commanders?|generals?|ministers?|spokes\w+)\b",
                        subject,
                    )
                )
            ):
                # A parenthetical ("About 100 soldiers, US officials said, would deploy") ends at its comma.
                paren = re.match(
                    r"^\s*(?:(?:on|in|last|this)\s+\w+\s*)?,\s*(?=(?:would|will|had|has|have|were|was|is|are|could|"
                    r"may|might|received|sent|shipped|delivered|supplied|bought|obtained|acquired|got|took)\b)",
                    tail,
                )
                end = m.end() + paren.end() if paren and comma < m.start() else _clause_end(text, m.end())
                out.append(Attribution(comma, end, clean_attributor(subject), verb, deny))
                continue
        # Leading: "X (has) said/told reporters (that) ..." from the sentence start or a clause start.
        semi, that = head.rfind("; "), head.rfind(" that ")
        lead_start = max(semi + 2 if semi >= 0 else 0, that + 6 if that >= 0 else 0)
        sub = list(
            re.finditer(r"\b(?:after|before|when|while|because|as|since|although|though|once)\s+", head)
        )
        if sub and sub[-1].end() > lead_start:
            lead_start = sub[-1].end()
        subject = head[lead_start:]
        if re.search(r"\b(?:which|who)\s*$", head):
            # "..., which U.S. officials said showed ..."
            rel = re.search(r"\b(?:which|who)\s+([^,;]{2,60}?)\s*$", head)
            if rel:
                out.append(Attribution(rel.start(), m.end(), clean_attributor(rel.group(1)), verb, deny))
                continue
        sub_words = subject.split()
        if not sub_words or len(sub_words) > 22:
            continue
        if (
            lex.phrase_res["triggers.send"].search(subject)
            or lex.phrase_res["triggers.receive"].search(subject)
            or lex.phrase_res["triggers.nominal"].search(subject)
            or ", and " in subject
            # "Sunak promised 14 tanks, the first armour pledged to Kyiv": the verb ends no attributor.
            or lex.phrase_res["attribution_verbs"].search(subject)
        ):
            continue
        if lex.item_re.search(subject) and not re.search(
            r"\b(?:intelligence|ministry|agency|officers?|officials?|advis[eo]rs?|commanders?|generals?|ministers?|spokes\w+)\b",
            subject,
            re.I,
        ):
            continue
        if verb in ("pledged", "promised") and not _has_person(subject, lex):
            continue
        if verb in ("estimated", "believed", "reported", "expected") and re.search(
            r"\b(?:is|are|was|were|be|been)\s*$", head
        ):
            continue  # passive "is believed to", "was reported"
        if re.search(r"\b(?:it|there|this)\s*(?:is|was|has been)?\s*$", subject, re.IGNORECASE):
            continue
        att_end = m.end()
        tm = re.match(r"^[^,;]*?\bthat\b", tail[:120])
        if tm and re.search(r"\b(?:had|has|have|was|were|is|are|would|will|could|did|does)\b", tm.group(0)):
            tm = None  # "said it had not supplied arms ... and that ...": the first complement is a claim
        if tm:
            att_end = m.end() + tm.end()
        else:
            tm2 = re.match(
                r"^\s*(?:\w+\s+){0,4}?(?:reporters|Reuters|journalists|lawmakers|parliament|the\s+\w+)"
                r"(?:\s+\w+){0,3}?\s*(?=[A-Z])",
                tail,
            )
            if tm2 and verb in ("told", "tells", "briefed", "informed"):
                att_end = m.end() + tm2.end()
        out.append(Attribution(lead_start, att_end, clean_attributor(subject), verb, deny))
    out.sort(key=lambda a: a.start)
    return out


_TRAILING_TAIL = re.compile(
    r"^\s*(?:(?:reporters|journalists|lawmakers|legislators|parliament|Reuters|AFP|AP|Bloomberg|CNN|the\s+BBC|"
    r"a\s+(?:news\s+)?(?:conference|briefing)|state\s+(?:media|television|TV))\b\s*)?"
    r"(?:(?:on|in|at|last|this|during|earlier|later|to|by|according\s+to|citing|in\s+a|in\s+an|when|while|"
    r"after|before|as)\b(?:(?!\b(?:that|it|they|he|she|would|will|has|had|have|was|were|is|are)\b)[^,.;]){0,90}?)?"
    r"\s*(?:[,.;:]|$|\b(?:as|when|while|after|before|adding|saying|ahead|during|where|because|although|though|"
    r"since|amid)\b)",
    re.IGNORECASE,
)


def _clause_end(text: str, pos: int) -> int:
    m = re.search(r"[;.]", text[pos:])
    return pos + m.start() if m else len(text)


def _has_person(text: str, lex: Lexicon) -> bool:
    if lex.person_re.search(text):
        return True
    # Title + capitalised name ("President Andrzej Duda", "Defence Minister Shin").
    return bool(
        re.search(
            r"\b(?:President|Minister|Secretary|Chancellor|General|Gen\.|Spokes\w+|Ambassador|Premier|Leader|Chief|"
            r"Director|Admiral|Commander)\s+[A-Z][\w-]+",
            text,
        )
    )


_BREAK_RES: dict[int, re.Pattern[str]] = {}


def _clause_break_re(lex: Lexicon) -> re.Pattern[str]:
    key = id(lex)
    if key not in _BREAK_RES:
        words = [b.lower() for b in lex.cues["clause_breaks"] if b.strip() not in {",", ";", "—", "–", ":"}]
        _BREAK_RES[key] = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    return _BREAK_RES[key]


def clause_segments(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Split a sentence into clause-like segments at commas and subordinators."""
    cuts = {0, len(text)}
    for m in re.finditer(r",\s|;\s|\s[—–]\s|:\s", text):
        cuts.add(m.end())
    for m in _clause_break_re(lex).finditer(text):
        cuts.add(m.start() + (1 if m.group(0).startswith(" ") else 0))
    pts = sorted(cuts)
    return [(a, b) for a, b in pairwise(pts) if text[a:b].strip()]
