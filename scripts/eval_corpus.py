"""Extract an annotated corpus folder (SCHEMA.md documents) and score it with ../shared/eval/score.py.

Usage: python scripts/eval_corpus.py CORPUS_DIR [--verbose]
Used by `make eval` for the dev set and by the tests for the project's own corpora.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from armsledger.extract import extract_document
from armsledger.models import Document

ROOT = Path(__file__).resolve().parents[1]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def main(argv: list[str]) -> int:
    corpus = Path(argv[0])
    lines = []
    for path in sorted(corpus.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        doc = Document.from_text(
            raw["text"],
            title=raw.get("title"),
            published=date.fromisoformat(raw["published"]) if raw.get("published") else None,
            external_id=raw["id"],
        )
        claims = [c.to_interchange() for c in extract_document(doc)]
        lines.append(json.dumps({"id": raw["id"], "claims": claims}))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        fh.write("\n".join(lines) + "\n")
    return subprocess.call([sys.executable, str(SCORE), str(corpus), fh.name, *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
