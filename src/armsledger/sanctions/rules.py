"""Loading sanctions rules: the built-in UN regimes (``sanctions/rules/*.yaml``), the user's own
regimes from the folder ``ARMSLEDGER_SANCTIONS_DIR`` names, and the vocabulary both refer to.

Every file is validated on load; a :class:`~armsledger.errors.RulesError` names the file, the line
and the field. The rule format is documented in ``sanctions/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from armsledger.errors import RulesError
from armsledger.models import UNITS, Category
from armsledger.sanctions.located import Fields, parse
from armsledger.sanctions.records import (
    Basis,
    Cap,
    CapLimit,
    Effect,
    GoodsClass,
    ParagraphConfidence,
    PersonnelClass,
    Provision,
    Regime,
    RuleSet,
    Scope,
    TermSet,
    Vocabulary,
    Window,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BUILTIN_RULES_DIR = PACKAGE_DIR / "rules"
VOCABULARY_FILE = PACKAGE_DIR / "vocabulary.yaml"
RULE_SUFFIXES = (".yaml", ".yml")

_REGIME_ID = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_PROVISION_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CATEGORIES = tuple(c.value for c in Category)


# -- vocabulary ----------------------------------------------------------------------------------


def _categories(fields: Fields, key: str) -> frozenset[Category]:
    values = fields.text_list(key)
    for value in values:
        if value not in _CATEGORIES:
            raise fields.error(
                key, f"{value!r} is not a claim category", hint=f"use: {', '.join(_CATEGORIES)}"
            )
    return frozenset(Category(v) for v in values)


def _read_vocabulary(path: Path) -> Vocabulary:
    file = str(path)
    root = Fields(parse(_read(path), file), file, "")
    goods: dict[str, GoodsClass] = {}
    personnel: dict[str, PersonnelClass] = {}
    goods_node = root.mapping("goods", required=True)
    people_node = root.mapping("personnel", required=True)
    root.done()
    assert goods_node is not None and people_node is not None
    for name in list(goods_node.node.value):
        entry = goods_node.mapping(name, required=True)
        assert entry is not None
        goods[name] = GoodsClass(
            name=name,
            description=entry.text("description"),
            categories=_categories(entry, "categories"),
            word_categories=_categories(entry, "word_categories"),
            evidence_categories=_categories(entry, "evidence_categories"),
            terms=TermSet.of(entry.text_list("terms")),
            assumed=TermSet.of(entry.text_list("assumed_terms")),
            exclude=TermSet.of(entry.text_list("exclude_terms")),
        )
        entry.done()
    for name in list(people_node.node.value):
        entry = people_node.mapping(name, required=True)
        assert entry is not None
        if name in goods:
            raise entry.error(
                None, f"class {name!r} is both a goods and a personnel class", hint="rename one"
            )
        personnel[name] = PersonnelClass(
            name=name,
            description=entry.text("description"),
            terms=TermSet.of(entry.text_list("terms", required=True)),
            exclude=TermSet.of(entry.text_list("exclude_terms")),
        )
        entry.done()
    goods_node.done()
    people_node.done()
    return Vocabulary(goods=goods, personnel=personnel)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The goods and personnel classes (the built-in ``vocabulary.yaml`` unless ``path`` is given)."""
    return _builtin_vocabulary() if path is None else _read_vocabulary(path)


@lru_cache(maxsize=1)
def _builtin_vocabulary() -> Vocabulary:
    return _read_vocabulary(VOCABULARY_FILE)


# -- one rule file -------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError(
            f"cannot read the file ({exc.strerror})", file=str(path), hint="check the path"
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RulesError("the file is not UTF-8 text", file=str(path), hint="save it as UTF-8") from None


def _window(fields: Fields, key: str, *, required: bool) -> Window:
    node = fields.mapping(key, required=required)
    if node is None:
        return Window()
    start = node.optional_date("from")
    end = node.optional_date("to")
    if required and start is None:
        raise node.error(None, "missing required field 'from'", hint="the date the measure took effect")
    if start and end and end < start:
        raise node.error("to", f"ends ({end}) before it starts ({start})")
    node.done()
    return Window(start, end)


def _scope(fields: Fields, vocab: Vocabulary) -> Scope | None:
    node = fields.mapping("scope")
    if node is None:
        return None
    goods = node.text_list("goods")
    personnel = node.text_list("personnel")
    for key, names, known in (("goods", goods, vocab.goods), ("personnel", personnel, vocab.personnel)):
        for name in names:
            if name not in known:
                raise node.error(key, f"unknown {key} class {name!r}", hint=f"use one of: {', '.join(known)}")
    if not goods and not personnel:
        raise node.error(
            None, "names neither goods nor personnel", hint="add goods: [arms] or personnel: [...]"
        )
    interpretive = frozenset(node.text_list("interpretive"))
    stray = interpretive - set(goods) - set(personnel)
    if stray:
        raise node.error("interpretive", f"{sorted(stray)} not among this scope's goods or personnel")
    scope = Scope(
        suppliers=node.states("suppliers"),
        recipients=node.states("recipients"),
        involving=node.states("involving"),
        goods=goods,
        personnel=personnel,
        interpretive=interpretive,
        end_user_terms=TermSet.of(node.text_list("end_user_terms")),
    )
    if scope.involving is not None and (scope.suppliers is not None or scope.recipients is not None):
        raise node.error(
            "involving", "cannot be combined with suppliers or recipients", hint="use one or the other"
        )
    node.done()
    return scope


def _cap(fields: Fields) -> Cap | None:
    node = fields.mapping("cap")
    if node is None:
        return None
    limits: list[CapLimit] = []
    for entry in node.mappings("limits", required=True):
        unit = entry.choice("unit", tuple(sorted(UNITS)))
        amount = entry.number("amount")
        if amount <= 0:
            raise entry.error("amount", "must be more than zero")
        entry.done()
        limits.append(CapLimit(unit, amount))
    months = node.integer("period_months")
    if not 1 <= months <= 120:
        raise node.error("period_months", f"{months} is not a period of 1 to 120 months")
    anchor = node.optional_date("period_anchor")
    if anchor is None:
        raise node.error(
            None, "missing required field 'period_anchor'", hint="the first day of the first period"
        )
    if anchor.day > 28:
        raise node.error("period_anchor", "periods must start on day 1-28 of a month")
    node.done()
    return Cap(tuple(limits), months, anchor)


def _provision(fields: Fields, regime: str, vocab: Vocabulary) -> Provision:
    pid = fields.text("id")
    if not _PROVISION_ID.match(pid):
        raise fields.error(
            "id", f"{pid!r} is not a valid id", hint="lower-case letters, digits, '-', '.', '_'"
        )
    effect = Effect(fields.choice("effect", tuple(e.value for e in Effect)))
    scope = _scope(fields, vocab)
    cap = _cap(fields)
    if effect is not Effect.CONTEXT and scope is None:
        raise fields.error(
            None, f"a {effect.value} needs a scope", hint="add scope: {recipients: [...], goods: [...]}"
        )
    if effect is Effect.CAP and cap is None:
        raise fields.error(None, "a cap needs cap: {limits, period_months, period_anchor}")
    if effect is not Effect.CAP and cap is not None:
        raise fields.error("cap", f"only provisions with effect: cap take a cap (this one is {effect.value})")
    if effect is Effect.CAP and scope is not None and scope.personnel:
        raise fields.error("scope", "a cap applies to goods, not personnel")
    contested = fields.flag("contested")
    contested_note = fields.optional_text("contested_note")
    if contested and not contested_note:
        raise fields.error(
            None, "a contested provision needs contested_note", hint="say who contests it and why"
        )
    provision = Provision(
        id=pid,
        regime=regime,
        instrument=fields.text("instrument"),
        resolution=fields.text("resolution"),
        paragraph=fields.text("paragraph"),
        annex=fields.optional_text("annex"),
        paragraph_confidence=ParagraphConfidence(
            fields.choice("paragraph_confidence", tuple(p.value for p in ParagraphConfidence))
        ),
        paragraph_note=fields.optional_text("paragraph_note"),
        adopted=fields.optional_date("adopted"),
        topic=fields.optional_text("topic") or "",
        summary=fields.text("summary"),
        effect=effect,
        basis=Basis(fields.choice("basis", tuple(b.value for b in Basis), default=Basis.TEXT.value)),
        scope=scope,
        cap=cap,
        window=_window(fields, "window", required=effect is not Effect.CONTEXT),
        contested=contested,
        contested_note=contested_note,
        exemptions=fields.optional_text("exemptions"),
        superseded_by=fields.optional_text("superseded_by"),
        status=fields.optional_text("status"),
        notes=fields.optional_text("notes"),
        source_urls=fields.urls("source_urls"),
        source=f"{fields.file}:{fields.line}",
    )
    fields.done()
    return provision


def load_regime_file(path: Path, vocabulary: Vocabulary | None = None) -> Regime:
    """Parse and validate one rule file (one regime)."""
    vocab = vocabulary or load_vocabulary()
    file = str(path)
    root = Fields(parse(_read(path), file), file, "")
    regime_id = root.text("regime")
    if not _REGIME_ID.match(regime_id):
        raise root.error(
            "regime", f"{regime_id!r} is not a valid regime id", hint="upper case, e.g. DPRK or EU-RUSSIA"
        )
    provisions = tuple(_provision(p, regime_id, vocab) for p in root.mappings("provisions", required=True))
    regime = Regime(
        id=regime_id,
        name=root.text("name"),
        authority=root.text("authority"),
        provisions=provisions,
        source_file=file,
        source_urls=root.urls("source_urls", required=False),
        source_line=root.node.value["regime"].line,
    )
    root.done()
    return regime


# -- rule sets -----------------------------------------------------------------------------------


def rule_files(folder: Path) -> list[Path]:
    """The rule files in ``folder`` (not recursive), sorted; files starting with "." or "_" skipped."""
    if not folder.is_dir():
        raise RulesError(
            "is not a folder",
            file=str(folder),
            hint="create it, or point ARMSLEDGER_SANCTIONS_DIR at the folder of your rule files",
        )
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in RULE_SUFFIXES and p.is_file() and p.name[0] not in "._"
    )


def _check_set(regimes: Iterable[Regime]) -> tuple[Regime, ...]:
    """Regime and provision ids unique across files; superseded_by names a loaded provision."""
    seen_regimes: dict[str, Regime] = {}
    seen_provisions: dict[str, Provision] = {}
    ordered = list(regimes)
    for regime in ordered:
        if regime.id in seen_regimes:
            raise RulesError(
                f"regime {regime.id} is already defined in {seen_regimes[regime.id].source_file}",
                file=regime.source_file,
                line=regime.source_line,
                field="regime",
                hint="give your regime another id (e.g. EU-DPRK)",
            )
        seen_regimes[regime.id] = regime
        for provision in regime.provisions:
            if provision.id in seen_provisions:
                file, _, line = provision.source.rpartition(":")
                raise RulesError(
                    f"provision id {provision.id!r} is already used at {seen_provisions[provision.id].source}",
                    file=file,
                    line=int(line),
                    field="id",
                    hint="ids must be unique across all rule files",
                )
            seen_provisions[provision.id] = provision
    for provision in seen_provisions.values():
        if provision.superseded_by and provision.superseded_by not in seen_provisions:
            file, _, line = provision.source.rpartition(":")
            raise RulesError(
                f"names {provision.superseded_by!r}, which no rule file defines",
                file=file,
                line=int(line),
                field="superseded_by",
            )
    return tuple(ordered)


@lru_cache(maxsize=1)
def _builtin_regimes() -> tuple[Regime, ...]:
    vocab = load_vocabulary()
    return tuple(load_regime_file(p, vocab) for p in rule_files(BUILTIN_RULES_DIR))


def load_rules(extra_dir: Path | None = None) -> RuleSet:
    """The built-in UN regimes plus every rule file in ``extra_dir`` (the user's own regimes)."""
    vocab = load_vocabulary()
    regimes = list(_builtin_regimes())
    if extra_dir is not None:
        regimes.extend(load_regime_file(p, vocab) for p in rule_files(extra_dir))
    return RuleSet(_check_set(regimes), vocab)
