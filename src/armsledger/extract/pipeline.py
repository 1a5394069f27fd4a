"""The extraction pipeline: segment -> mentions/frames per sentence -> document resolution -> Claims."""

from __future__ import annotations

import re

from armsledger.extract.filters import ANNOUNCED, PACKAGE
from armsledger.extract.frames import Candidate, analyse_sentence
from armsledger.extract.lexicon import load_lexicon
from armsledger.extract.resolve import apply_events, merge_restatements, resolve_actors, resolve_attributions
from armsledger.extract.segment import Sentence, split_sentences
from armsledger.models import EXTRACTOR_VERSION, Claim, Document, Span

_KOREAN = re.compile(r"\b(?:Korea|Korean|Pyongyang|Seoul|DPRK)\b")
# A later sentence about the announced package ("The package combines ...", "Also included are ...").
_PACKAGE_CONTENTS = re.compile(r"\b(?:package|tranche)\b|\balso\s+(?:included|includes)\b", re.IGNORECASE)


def _title_flow(doc: Document, korean: bool) -> tuple[str | None, str | None]:
    """Supplier and recipient the headline announces, used before the text names them."""
    if not doc.title:
        return None, None
    lex = load_lexicon()
    title = doc.title.strip()
    frame = analyse_sentence(
        Sentence(0, len(title), title, -1, -1),
        doc.published,
        lex,
        korean_context=korean,
        package_pledged=False,
    )
    for c in frame.candidates:
        if c.supplier and c.recipient:
            return c.supplier, c.recipient
    return frame.flow_hint


def _to_claim(c: Candidate, doc: Document) -> Claim:
    evidence = doc.text[c.evidence_start : c.evidence_end]
    return Claim(
        supplier=c.supplier,
        recipient=c.recipient,
        category=c.category,
        item=c.item,
        quantity=c.quantity,
        status=c.status,
        estimated=c.estimated and not c.quantity.is_empty,
        time=c.time,
        location=c.location if c.recipient else None,
        attribution=c.attribution,
        evidence=evidence,
        span=Span(c.evidence_start, c.evidence_end),
        document_id=doc.id,
        extractor_version=EXTRACTOR_VERSION,
    )


def run(doc: Document) -> list[Claim]:
    """Extract the transfer claims of one document."""
    lex = load_lexicon()
    korean = bool(_KOREAN.search(doc.text) or (doc.title and _KOREAN.search(doc.title)))
    frames = []
    last_item = None
    package_announced = False
    for s in split_sentences(doc.text):
        in_package = package_announced and bool(_PACKAGE_CONTENTS.search(s.text))
        frame = analyse_sentence(
            s, doc.published, lex, korean_context=korean, package_pledged=in_package, fallback=last_item
        )
        frames.append(frame)
        package_announced = package_announced or bool(PACKAGE.search(s.text) and ANNOUNCED.search(s.text))
        named = [it for it in frame.items if not it.blocked and not it.virtual and it.contents_of is None]
        if frame.candidates and named:
            last_item = named[-1]
    resolve_attributions(frames, lex)
    resolve_actors(frames, _title_flow(doc, korean), lex)
    apply_events(frames)
    candidates = [c for f in frames for c in f.candidates]
    kept = merge_restatements(candidates, lex)
    kept.sort(key=lambda c: c.position)
    return [_to_claim(c, doc) for c in kept]
