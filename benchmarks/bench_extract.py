"""Extraction throughput on one core: documents/s and words/s of ``extract_document``.

Usage: ``python benchmarks/bench_extract.py [EVAL_DEV_DIR]`` (default ``../shared/eval/dev`` relative to
the repository). The corpus is the dev documents plus ``examples/*.json``, repeated to at least
MIN_DOCUMENTS documents; after one warm-up pass, ROUNDS timed passes are run and the median reported.
Results are printed and written to ``benchmarks/results/extract.json``. This is a measurement, not a test.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from armsledger.extract import extract_document
from armsledger.ingest import load_file
from armsledger.models import EXTRACTOR_VERSION, Document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DEV_DIR = REPO.parent / "shared" / "eval" / "dev"
RESULTS = REPO / "benchmarks" / "results" / "extract.json"
# ~200 short news reports keep a pass around a second at the expected 0.1-0.4 M words/s while
# making per-call overheads (lexicon lookups, spaCy tokenizer setup) visible.
MIN_DOCUMENTS = 200
ROUNDS = 5


def pin_to_one_core() -> str:
    """Restrict this process to its first allowed CPU (Linux); returns what was done."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    first = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {first})
    return f"pinned to cpu {first}"


def load_corpus(dev_dir: Path) -> list[Document]:
    """Documents of the dev set and the repository's JSON examples (gold claims ignored)."""
    paths = sorted(dev_dir.glob("*.json")) + sorted((REPO / "examples").glob("*.json"))
    docs: list[Document] = []
    for path in paths:
        for outcome in load_file(path):
            if isinstance(outcome, Document):
                docs.append(outcome)
            else:
                print(f"skipped: {outcome}", file=sys.stderr)
    return docs


def main(argv: list[str]) -> int:
    dev_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DEV_DIR
    pinning = pin_to_one_core()
    base = load_corpus(dev_dir)
    if not base:
        print(f"no documents found in {dev_dir} or examples/", file=sys.stderr)
        return 1
    repeats = -(-MIN_DOCUMENTS // len(base))  # ceiling division
    corpus = base * repeats
    words = sum(len(doc.text.split()) for doc in corpus)

    for doc in base:  # warm-up: lexicon loading, spaCy pipeline construction, regex compilation
        extract_document(doc)

    timings: list[float] = []
    claims = 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        claims = sum(len(extract_document(doc)) for doc in corpus)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)

    result = {
        "benchmark": "extract_document",
        "extractor_version": EXTRACTOR_VERSION,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu": pinning,
        "source_documents": len(base),
        "documents": len(corpus),
        "words": words,
        "claims_per_pass": claims,
        "rounds": ROUNDS,
        "seconds": [round(t, 6) for t in timings],
        "median_seconds": round(median, 6),
        "documents_per_second": round(len(corpus) / median, 1) if median else None,
        "words_per_second": round(words / median, 1) if median else None,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"extract_document ({pinning}): {len(corpus)} documents, {words:,} words, "
        f"median of {ROUNDS} rounds {median:.3f} s"
    )
    if median:
        rate = f"{len(corpus) / median:,.1f} documents/s   {words / median:,.0f} words/s"
        print(f"  {rate}   ({claims} claims/pass)")
    print(f"  written to {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
