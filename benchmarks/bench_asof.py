"""As-of query speed on a ledger of 10^6 claims: `armsledger timeline PRK RUS containers --as-of …`.

Usage: ``python benchmarks/bench_asof.py [CLAIMS] [--db PATH]`` (default 1,000,000 claims in
/tmp/armsledger-bench-asof.db, rebuilt when missing or of another size). The ledger is generated with the
store's bulk insert (``Ledger.import_curated``: executemany, 50,000 rows per transaction) over the
shipped migrations and indices: 12 × 12 state pairs, every item class, report dates 2015–2026, five
claims per report, attributions from the source table. The queried flow (PRK → RUS containers) is a
heavily reported one: FLOW_CLAIMS claims, restating FLOW_ASSERTIONS distinct figures (each figure
carried by ~20 outlets, as syndication does); a stress flow (PRK → RUS troops) is timed beside it. After one warm-up, ROUNDS timed as-of answers are made —
SQL read of the flow, classification, restatement merge, conflicts, grading, band — and the median is
reported against the issue's target of 50 ms. Results are printed and written to
``benchmarks/results/asof.json``. This is a measurement, not a test.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from armsledger.flows import AsOfAnswer, ItemClasses, SourceTable, load_item_classes, load_sources, timeline
from armsledger.models import Category, Claim, Document, Period, Qualifier, Quantity, Status
from armsledger.store import Ledger
from armsledger.store.sourced import NewCuratedClaim

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "asof.json"
DEFAULT_DB = Path("/tmp/armsledger-bench-asof.db")
DEFAULT_CLAIMS = 1_000_000
CLAIMS_PER_REPORT = 5
BATCH = 50_000
# The queried flow: 100 distinct figures restated by 2,000 reports, five times the public record of
# PRK → RUS containers (about 20 figures, ../shared/reference/dprk-russia-timeline.md §3.1). A stress
# flow (PRK → RUS troops) holds 5,000 reports of 250 figures and is timed too.
FLOW_CLAIMS = 2_000
FLOW_ASSERTIONS = 100
STRESS_CLAIMS = 5_000
STRESS_ASSERTIONS = 250
ROUNDS = 15
TARGET_MS = 50.0  # issue 4: an as-of query on 10^6 claims in under 50 ms
AS_OF = date(2024, 8, 31)
STATES = ["PRK", "RUS", "IRN", "CHN", "UKR", "USA", "KOR", "BLR", "SYR", "TUR", "DEU", "POL"]
ITEMS = [
    (Category.SHIPMENT, "container"),
    (Category.SHIPMENT, "railcar"),
    (Category.AMMUNITION, "152mm artillery shell"),
    (Category.AMMUNITION, "munitions"),
    (Category.MISSILE, "ballistic missile"),
    (Category.WEAPON_SYSTEM, "howitzer"),
    (Category.PERSONNEL, "soldier"),
    (Category.PERSONNEL, "worker"),
    (Category.OTHER, "refined petroleum"),
]
ATTRIBUTIONS = [
    "South Korea Defense Intelligence Agency",
    "South Korea National Intelligence Service",
    "US State Department",
    "John Kirby, US National Security Council",
    "Shin Won-sik, South Korea defence minister",
    "Ukraine HUR",
    "Multilateral Sanctions Monitoring Team",
    "Open Source Centre",
    "Western intelligence via The Times",
    None,
]
QUALIFIERS = [
    Qualifier.EXACT,
    Qualifier.APPROXIMATELY,
    Qualifier.MORE_THAN,
    Qualifier.AT_LEAST,
    Qualifier.UP_TO,
]


def _day(rng: random.Random) -> date:
    return date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4_380))


def _document(n: int, published: date) -> Document:
    return Document.from_text(
        f"Benchmark report {n}",
        published=published,
        outlet=f"outlet-{n % 400}",
        url=f"https://example.org/r/{n}",
    )


def _flow_figures(rng: random.Random, count: int) -> list[tuple[date, int, Qualifier, str | None]]:
    # Distinct assertions of a queried flow: growing totals by varied attributors over 2022–2024.
    start = date(2022, 6, 1)
    out = []
    for i in range(count):
        day = start + timedelta(days=int(i * 900 / count))
        out.append(
            (day, 1_000 + 60 * i + rng.randrange(0, 500), rng.choice(QUALIFIERS), rng.choice(ATTRIBUTIONS))
        )
    return out


def generate(db: Path, claims: int) -> float:
    """Build the ledger; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(1718)
    db.unlink(missing_ok=True)
    figures = _flow_figures(rng, FLOW_ASSERTIONS)
    stress = _flow_figures(rng, STRESS_ASSERTIONS)
    special = FLOW_CLAIMS + STRESS_CLAIMS
    with Ledger.open(str(db)) as ledger:
        batch: list[NewCuratedClaim] = []
        doc: Document | None = None
        for n in range(claims):
            if n % CLAIMS_PER_REPORT == 0:
                report = n // CLAIMS_PER_REPORT
                if n < FLOW_CLAIMS:
                    day, *_ = figures[n * FLOW_ASSERTIONS // FLOW_CLAIMS]
                    published = day + timedelta(days=rng.randrange(0, 10))
                elif n < special:
                    day, *_ = stress[(n - FLOW_CLAIMS) * STRESS_ASSERTIONS // STRESS_CLAIMS]
                    published = day + timedelta(days=rng.randrange(0, 10))
                else:
                    published = _day(rng)
                doc = _document(report, published)
            assert doc is not None
            if n < FLOW_CLAIMS:
                _, value, qualifier, attribution = figures[n * FLOW_ASSERTIONS // FLOW_CLAIMS]
                supplier, recipient, (category, item) = "PRK", "RUS", ITEMS[0]
                start: str | None = "2023-09"
            elif n < special:
                _, value, qualifier, attribution = stress[
                    (n - FLOW_CLAIMS) * STRESS_ASSERTIONS // STRESS_CLAIMS
                ]
                supplier, recipient, (category, item) = "PRK", "RUS", ITEMS[6]
                start = "2024-10"
            else:
                supplier, recipient = rng.sample(STATES, 2)
                if (supplier, recipient) == ("PRK", "RUS"):
                    supplier = "IRN"  # the queried flow holds exactly FLOW_CLAIMS claims
                category, item = rng.choice(ITEMS)
                value, qualifier, attribution = (
                    rng.randrange(1, 2_000_000),
                    rng.choice(QUALIFIERS),
                    rng.choice(ATTRIBUTIONS),
                )
                start = None if rng.random() < 0.5 else f"{rng.randrange(2014, 2026)}"
            claim = Claim(
                supplier=supplier,
                recipient=recipient,
                category=category,
                item=item,
                quantity=Quantity(value=value, qualifier=qualifier),
                status=Status.OCCURRED if n < special or rng.random() < 0.85 else Status.EXPECTED,
                time=Period(start=start) if start else None,
                attribution=attribution,
                evidence=f"benchmark claim {n}",
            )
            batch.append(
                NewCuratedClaim(
                    claim=claim,
                    claim_id=f"{n:016x}",
                    document=doc,
                    source_file="bench",
                    line=n,
                    row_sha256="0" * 64,
                )
            )
            if len(batch) >= BATCH:
                ledger.import_curated(batch, source="bench")
                batch = []
                print(f"  {n + 1:,} claims written", file=sys.stderr)
        if batch:
            ledger.import_curated(batch, source="bench")
    return time.perf_counter() - started


def _time(
    ledger: Ledger, cls: str, classes: ItemClasses, sources: SourceTable
) -> tuple[list[float], AsOfAnswer]:
    answer = timeline(ledger, "PRK", "RUS", cls, AS_OF, classes=classes, sources=sources)  # warm-up
    timings: list[float] = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        answer = timeline(ledger, "PRK", "RUS", cls, AS_OF, classes=classes, sources=sources)
        timings.append((time.perf_counter() - start) * 1000)
    return timings, answer


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--db")]
    claims = int(args[0]) if args else DEFAULT_CLAIMS
    db = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else DEFAULT_DB
    if db.exists():
        with Ledger.open(str(db)) as ledger:
            have = ledger.counts().claims
    else:
        have = 0
    build_seconds = None
    if have != claims:
        print(f"generating {claims:,} claims in {db} …", file=sys.stderr)
        build_seconds = generate(db, claims)
    classes, sources = load_item_classes(), load_sources()
    with Ledger.open(str(db)) as ledger:
        timings, answer = _time(ledger, "containers", classes, sources)
        stress_timings, stress_answer = _time(ledger, "troops", classes, sources)
        total = ledger.counts().claims
    flow_claims = sum(g.assertion.report_count for g in answer.assertions)
    result = {
        "benchmark": "as-of query (armsledger timeline PRK RUS containers --as-of 2024-08-31)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "ledger_claims": total,
        "flow_claims_read": flow_claims,
        "flow_assertions": len(answer.assertions),
        "conflicts": len(answer.conflicts),
        "rounds": ROUNDS,
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "target_ms": TARGET_MS,
        "meets_target": statistics.median(timings) < TARGET_MS,
        "generate_seconds": None if build_seconds is None else round(build_seconds, 1),
        "best": {"low": answer.best.low, "value": answer.best.value, "high": answer.best.high},
        "stress_flow": {
            "query": "armsledger timeline PRK RUS troops --as-of 2024-08-31",
            "flow_claims_read": sum(g.assertion.report_count for g in stress_answer.assertions),
            "flow_assertions": len(stress_answer.assertions),
            "conflicts": len(stress_answer.conflicts),
            "median_ms": round(statistics.median(stress_timings), 2),
            "min_ms": round(min(stress_timings), 2),
        },
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
