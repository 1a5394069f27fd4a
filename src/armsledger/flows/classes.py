"""Item classes: fold the many names of one kind of item ("152mm shells", "munitions") into one flow.

The table is data (``item_classes.yaml``); :func:`load_item_classes` validates it and
:meth:`ItemClasses.classify` puts a claim's item into a class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from armsledger.errors import LexiconError, UsageError
from armsledger.flows.tables import shipped_table, user_table
from armsledger.models import Category

ITEM_CLASSES_FILE = "item_classes.yaml"
OTHER_PREFIX = "other-"


def fold(text: str) -> str:
    """Lower case, one space between words, "152-mm"/"152 mm" → "152mm", hyphens as spaces."""
    text = text.lower().replace("‑", "-")
    text = re.sub(r"(\d)\s*-?\s*(mm|millimet(?:re|er))\b", r"\1mm", text)
    text = re.sub(r"[-_/]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True, slots=True)
class ItemClass:
    """One class of items: its id, label, counted noun, accepted categories and terms."""

    id: str
    label: str
    unit_noun: str
    categories: frozenset[Category]
    terms: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True, eq=False)
class ItemClasses:
    """The validated class table, in matching order (hashed by identity: it keys a cache)."""

    classes: tuple[ItemClass, ...]
    source: str

    def get(self, class_id: str) -> ItemClass | None:
        return next((c for c in self.classes if c.id == class_id), None)

    def classify(self, item: str, category: Category) -> str:
        """The id of the first class accepting ``category`` whose terms occur in ``item``."""
        return _classify(self, item, category)

    def label(self, class_id: str) -> str:
        cls = self.get(class_id)
        if cls is not None:
            return cls.label
        return class_id.removeprefix(OTHER_PREFIX).replace("_", " ").capitalize() + " (unclassified)"

    def categories_of(self, class_id: str) -> frozenset[Category]:
        """The categories whose claims can fall into ``class_id`` (what the ledger is asked for)."""
        cls = self.get(class_id)
        if cls is not None:
            return cls.categories
        return frozenset({Category(class_id.removeprefix(OTHER_PREFIX))})

    def resolve(self, text: str) -> str:
        """The class id an analyst means by ``text``: an id, a label, a term or an ``other-`` class.

        Raises :class:`UsageError` listing the ids when nothing matches.
        """
        wanted = fold(text)
        for cls in self.classes:
            if wanted in (fold(cls.id), fold(cls.label), fold(cls.unit_noun)):
                return cls.id
        for cls in self.classes:
            if cls.pattern.fullmatch(wanted):
                return cls.id
        if wanted.startswith(fold(OTHER_PREFIX)):
            rest = wanted.removeprefix(fold(OTHER_PREFIX)).replace(" ", "_")
            if rest in {c.value for c in Category}:
                return OTHER_PREFIX + rest
        raise UsageError(
            f"item class {text!r} is unknown",
            hint="use one of: " + ", ".join(c.id for c in self.classes) + " (or other-<category>)",
        )


@lru_cache(maxsize=65536)
def _classify(table: ItemClasses, item: str, category: Category) -> str:
    # Claims repeat a handful of item names; caching keeps a 10^6-claim ledger's as-of query cheap.
    folded = fold(item)
    for cls in table.classes:
        if category in cls.categories and cls.pattern.search(folded):
            return cls.id
    return OTHER_PREFIX + category.value


def _fail(source: str, where: str, message: str) -> LexiconError:
    return LexiconError(f"{where}: {message}", item=source, hint="fix the item class table and retry")


def _pattern(terms: list[str]) -> re.Pattern[str]:
    # Longest first, so "artillery shell" is preferred to "shell" in the same alternation.
    alternatives = sorted({re.escape(fold(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")(?:e?s)?\b")


def parse_item_classes(data: Any, source: str) -> ItemClasses:
    """Validate the YAML content of an item class table."""
    if not isinstance(data, dict) or not isinstance(data.get("classes"), list):
        raise _fail(source, "classes", "must be a list of classes")
    seen: set[str] = set()
    out: list[ItemClass] = []
    for i, raw in enumerate(data["classes"]):
        where = f"classes[{i}]"
        if not isinstance(raw, dict):
            raise _fail(source, where, "must be a mapping")
        cid = raw.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", cid):
            raise _fail(source, f"{where}.id", f"{cid!r} must be lower-case words joined by '-'")
        if cid in seen or cid.startswith(OTHER_PREFIX):
            raise _fail(source, f"{where}.id", f"{cid!r} is repeated or reserved")
        seen.add(cid)
        try:
            categories = frozenset(Category(c) for c in raw.get("categories") or [])
        except ValueError:
            raise _fail(
                source, f"{where}.categories", f"must be among {[c.value for c in Category]}"
            ) from None
        terms = raw.get("terms")
        if not categories or not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise _fail(source, where, "needs categories and a list of terms")
        label = str(raw.get("label") or cid)
        out.append(
            ItemClass(
                id=cid,
                label=label,
                unit_noun=str(raw.get("unit_noun") or cid),
                categories=categories,
                terms=tuple(terms),
                pattern=_pattern([*terms, cid.replace("-", " ")]),
            )
        )
    return ItemClasses(classes=tuple(out), source=source)


def load_item_classes(path: Path | str | None = None) -> ItemClasses:
    """Read the item class table at ``path`` (default: the one shipped in ``flows/``)."""
    if path is None:
        return _shipped()
    return user_table(path, parse_item_classes, _fail)


@lru_cache(maxsize=1)
def _shipped() -> ItemClasses:
    return shipped_table(ITEM_CLASSES_FILE, parse_item_classes)
