"""Rule files: the built-in UN rules load and are well formed; a user's rule file is validated with
errors that name the file, the line and the field; user regimes come from ARMSLEDGER_SANCTIONS_DIR."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from armsledger.errors import RulesError
from armsledger.sanctions import (
    BUILTIN_RULES_DIR,
    Effect,
    ParagraphConfidence,
    RuleSet,
    load_regime_file,
    load_rules,
)
from armsledger.settings import REGISTRY, get_settings

from ..conftest import REPO

REFERENCE = REPO.parent / "shared" / "reference" / "reference-facts.json"

EU_RULES = """\
regime: EU-RUSSIA
name: EU restrictive measures on Russia (arms embargo)
authority: Council of the European Union
provisions:
  - id: eu-2014-512-art2
    instrument: Council Decision 2014/512/CFSP
    resolution: "2014/512/CFSP"
    paragraph: "2"
    paragraph_confidence: high
    adopted: 2014-07-31
    topic: arms to and from Russia
    summary: >-
      EU states and their nationals may not sell, supply or export arms and related materiel to
      Russia, nor import them from it.
    effect: prohibition
    scope:
      involving: [RUS]
      goods: [arms]
    window: {from: 2014-08-01}
    source_urls:
      - https://eur-lex.europa.eu/eli/dec/2014/512/oj
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_regimes_load_with_every_required_part(rules: RuleSet) -> None:
    assert {r.id for r in rules.regimes} >= {
        "DPRK",
        "IRAN",
        "LIBYA",
        "SOUTH-SUDAN",
        "SOMALIA",
        "CAR",
        "HAITI",
    }
    dprk = rules.regime("dprk")
    assert dprk is not None
    numbers = ["1718 (2006)", "1874 (2009)", "2087 (2013)", "2094 (2013)", "2270 (2016)", "2321 (2016)"]
    numbers += ["2371 (2017)", "2375 (2017)", "2397 (2017)"]
    assert {p.resolution for p in dprk.provisions} >= set(numbers)
    for p in rules.provisions():
        assert p.summary and p.source_urls and p.paragraph, p.id
        if p.effect is not Effect.CONTEXT:
            assert p.scope is not None and p.window.start is not None, p.id
        if p.paragraph_confidence is not ParagraphConfidence.HIGH:
            assert p.paragraph_note, f"{p.id}: say what is unverified"
    contested = [p for p in rules.provisions() if p.contested]
    assert contested and all(
        p.regime == "IRAN" and p.window.start and p.window.start.isoformat() == "2025-09-27"
        for p in contested
    )


def test_summaries_are_paraphrases_not_the_reference_wording(rules: RuleSet) -> None:
    if not REFERENCE.is_file():
        pytest.skip("reference facts not beside the checkout")
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["sanctions"]

    def grams(text: str, n: int = 7) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    theirs = set().union(*(grams(r.get("summary_paraphrased", "")) for r in reference))
    for p in rules.provisions():
        shared = grams(p.summary) & theirs
        assert not shared, f"{p.id} repeats the reference's wording: {' '.join(next(iter(shared)))}"


def test_a_user_regime_is_loaded_from_the_settings_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "rules"
    _write(folder, "eu.yaml", EU_RULES)
    _write(folder, "notes.txt", "not a rule file")
    monkeypatch.setenv(REGISTRY["sanctions_dir"][0], str(folder))
    rules = load_rules(get_settings().sanctions_dir)
    eu = rules.regime("EU-RUSSIA")
    assert eu is not None and eu.provisions[0].citation == "2014/512/CFSP, para. 2"
    assert rules.regime("DPRK") is not None  # the UN rules stay loaded
    monkeypatch.delenv(REGISTRY["sanctions_dir"][0])
    assert load_rules(get_settings().sanctions_dir).regime("EU-RUSSIA") is None


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "words"),
    [
        ("goods: [arms]", "goods: [guns]", "goods: [guns]", "provisions[0].scope.goods", "unknown goods class 'guns'"),
        ("involving: [RUS]", "involving: [RUX]", "involving: [RUX]", "provisions[0].scope.involving[0]", "ISO 3166-1"),
        ("paragraph_confidence: high", "paragraph_confidence: sure", "paragraph_confidence: sure",
         "provisions[0].paragraph_confidence", "'sure' is not valid"),
        ("    topic:", "    topik:", "topik:", "provisions[0].topik", "unknown field 'topik'"),
        ("window: {from: 2014-08-01}", "window: {from: 2014-08-01, to: 2013-01-01}", "window:",
         "provisions[0].window.to", "before it starts"),
        ("effect: prohibition", "effect: cap", "- id:", "provisions[0]", "needs cap"),
        ("      - https://eur-lex.europa.eu/eli/dec/2014/512/oj", "      - eur-lex", "- eur-lex",
         "provisions[0].source_urls[0]", "not an http(s) URL"),
        ("    resolution: \"2014/512/CFSP\"\n", "", "- id:", "provisions[0]", "missing required field 'resolution'"),
    ],
)  # fmt: skip
def test_rule_file_errors_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, needle: str, field: str, words: str
) -> None:
    assert old in EU_RULES
    text = EU_RULES.replace(old, new)
    path = _write(tmp_path, "eu.yaml", text)
    with pytest.raises(RulesError) as caught:
        load_regime_file(path)
    err = caught.value
    assert err.file == str(path) and err.field == field
    assert err.line == _line_of(text, needle)
    assert words in str(err) and f"eu.yaml:{err.line}" in str(err)


def test_yaml_syntax_errors_and_clashes_name_the_line(tmp_path: Path) -> None:
    broken = EU_RULES.replace("    effect: prohibition", "    effect: [prohibition")
    with pytest.raises(RulesError) as caught:
        load_regime_file(_write(tmp_path / "a", "eu.yaml", broken))
    assert caught.value.line is not None and caught.value.line >= _line_of(broken, "effect: [")
    twice = EU_RULES.replace("    topic: arms to and from Russia\n", "    topic: a\n    topic: b\n")
    with pytest.raises(RulesError, match="appears twice") as caught:
        load_regime_file(_write(tmp_path / "b", "eu.yaml", twice))
    assert caught.value.line == _line_of(twice, "topic: b")
    clash = _write(tmp_path / "c", "dprk.yaml", EU_RULES.replace("regime: EU-RUSSIA", "regime: DPRK"))
    with pytest.raises(RulesError, match="already defined") as caught:
        load_rules(clash.parent)
    assert caught.value.file == str(clash) and caught.value.line == 1 and caught.value.field == "regime"
    with pytest.raises(RulesError, match="not a folder"):
        load_rules(tmp_path / "missing")


def test_builtin_rule_files_are_package_data() -> None:
    files = sorted(p.name for p in BUILTIN_RULES_DIR.glob("*.yaml"))
    assert {
        "dprk.yaml",
        "iran.yaml",
        "libya.yaml",
        "south_sudan.yaml",
        "somalia.yaml",
        "car.yaml",
        "haiti.yaml",
    } <= set(files)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "sanctions/rules/*.yaml" in pyproject and "sanctions/vocabulary.yaml" in pyproject
