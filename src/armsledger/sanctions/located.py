"""YAML read with line numbers: every value keeps the line it came from, so a validation error can
name the file, the line and the field (``dprk.yaml:42: provisions[3].scope.goods: ...``).

PyYAML's ``compose`` gives the node tree with marks; scalars are then built with the safe
constructor (so ``2006-10-14`` is a date and ``500000`` an int, as with ``yaml.safe_load``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pycountry
import yaml

from armsledger.errors import RulesError

_HTTP = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with its 1-based line: a scalar, a list of nodes or a dict of nodes."""

    value: Any
    line: int


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def parse(text: str, file: str) -> Node:
    """The document in ``text`` as located nodes; syntax errors name the line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        problem = exc.problem or str(exc)
        raise RulesError(
            f"not valid YAML ({problem})", file=file, line=line, hint="fix the syntax at that line"
        ) from None
    except yaml.YAMLError as exc:
        raise RulesError(f"not valid YAML ({exc})", file=file, hint="fix the syntax") from None
    if root is None:
        raise RulesError("the file is empty", file=file, hint="write a rule file or remove it")
    return _convert(root, file, yaml.SafeLoader(""))


def _convert(node: yaml.Node, file: str, constructor: yaml.SafeLoader) -> Node:
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise RulesError(
                    f"keys must be text, got {key!r}", file=file, line=_line(key_node), hint="quote the key"
                )
            if key in items:
                raise RulesError(
                    f"key {key!r} appears twice in the same mapping",
                    file=file,
                    line=_line(key_node),
                    hint="keep one of them",
                )
            items[key] = _convert(value_node, file, constructor)
        return Node(items, _line(node))
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(child, file, constructor) for child in node.value], _line(node))
    return Node(constructor.construct_object(node, deep=True), _line(node))


class Fields:
    """Typed access to one mapping's keys; every error names file, line and the field's path.

    Call :meth:`done` after reading to reject keys the format does not know (catches typos).
    """

    def __init__(self, node: Node, file: str, path: str) -> None:
        if not isinstance(node.value, dict):
            raise RulesError(
                f"expected a mapping of fields, got {_kind(node.value)}",
                file=file,
                line=node.line,
                field=path or None,
            )
        self.node = node
        self.file = file
        self.path = path
        self._items: dict[str, Node] = node.value
        self._read: set[str] = set()

    @property
    def line(self) -> int:
        return self.node.line

    def _field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, message: str, *, hint: str | None = None) -> RulesError:
        """An error about ``key`` (at its line), or about the mapping itself when key is None."""
        node = self._items.get(key) if key is not None else None
        line = node.line if node is not None else self.line
        return RulesError(
            message,
            file=self.file,
            line=line,
            field=self._field(key) if key else self.path or None,
            hint=hint,
        )

    def has(self, key: str) -> bool:
        return key in self._items and self._items[key].value is not None

    def _get(self, key: str, required: bool) -> Node | None:
        self._read.add(key)
        node = self._items.get(key)
        if node is None or node.value is None:
            if required:
                raise self.error(None, f"missing required field {key!r}", hint=f"add {key}: …")
            return None
        return node

    def text(self, key: str) -> str:
        value = self.optional_text(key)
        if value is None:
            raise self.error(None, f"missing required field {key!r}", hint=f"add {key}: …")
        return value

    def optional_text(self, key: str) -> str | None:
        node = self._get(key, required=False)
        if node is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, str | int | float):
            raise self.error(key, f"expected text, got {_kind(node.value)}")
        text = " ".join(str(node.value).split())
        if not text:
            raise self.error(key, "must not be empty")
        return text

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.optional_text(key)
        if value is None:
            if default is None:
                raise self.error(
                    None, f"missing required field {key!r}", hint=f"use one of: {', '.join(options)}"
                )
            return default
        if value not in options:
            raise self.error(key, f"{value!r} is not valid", hint=f"use one of: {', '.join(options)}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        node = self._get(key, required=False)
        if node is None:
            return default
        if not isinstance(node.value, bool):
            raise self.error(key, f"expected true or false, got {node.value!r}")
        return node.value

    def optional_date(self, key: str) -> date | None:
        node = self._get(key, required=False)
        if node is None:
            return None
        value = node.value
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(key, f"expected a date YYYY-MM-DD, got {value!r}")

    def number(self, key: str) -> float:
        node = self._get(key, required=True)
        assert node is not None
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise self.error(key, f"expected a number, got {node.value!r}")
        return float(node.value)

    def integer(self, key: str) -> int:
        node = self._get(key, required=True)
        assert node is not None
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise self.error(key, f"expected a whole number, got {node.value!r}")
        return node.value

    def text_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        node = self._get(key, required=required)
        if node is None:
            return ()
        if not isinstance(node.value, list):
            raise self.error(
                key, f"expected a list, got {_kind(node.value)}", hint="write [a, b] or one '- a' per line"
            )
        out: list[str] = []
        for i, child in enumerate(node.value):
            if isinstance(child.value, bool) or not isinstance(child.value, str | int | float):
                raise RulesError(
                    f"expected text, got {_kind(child.value)}",
                    file=self.file,
                    line=child.line,
                    field=f"{self._field(key)}[{i}]",
                )
            out.append(" ".join(str(child.value).split()))
        if required and not out:
            raise self.error(key, "must list at least one value")
        return tuple(out)

    def urls(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        urls = self.text_list(key, required=required)
        for i, url in enumerate(urls):
            if not _HTTP.match(url):
                node = self._items[key].value[i]
                raise RulesError(
                    f"{url!r} is not an http(s) URL",
                    file=self.file,
                    line=node.line,
                    field=f"{self._field(key)}[{i}]",
                    hint="give the full address of the source",
                )
        return urls

    def states(self, key: str) -> frozenset[str] | None:
        """A list of ISO 3166-1 alpha-3 codes, or None for ``any`` (or when absent)."""
        node = self._get(key, required=False)
        if node is None or node.value == "any":
            return None
        codes = self.text_list(key)
        for i, code in enumerate(codes):
            if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.countries.get(alpha_3=code) is None:
                child = node.value[i]
                raise RulesError(
                    f"{code!r} is not an ISO 3166-1 alpha-3 code",
                    file=self.file,
                    line=child.line,
                    field=f"{self._field(key)}[{i}]",
                    hint="use upper-case codes such as PRK, RUS, IRN, or write: any",
                )
        if not codes:
            raise self.error(key, "must list at least one state", hint="or write: any")
        return frozenset(codes)

    def mapping(self, key: str, *, required: bool = False) -> Fields | None:
        node = self._get(key, required=required)
        return Fields(node, self.file, self._field(key)) if node is not None else None

    def mappings(self, key: str, *, required: bool = False) -> list[Fields]:
        node = self._get(key, required=required)
        if node is None:
            return []
        if not isinstance(node.value, list):
            raise self.error(key, f"expected a list, got {_kind(node.value)}")
        if required and not node.value:
            raise self.error(key, "must list at least one entry")
        return [Fields(child, self.file, f"{self._field(key)}[{i}]") for i, child in enumerate(node.value)]

    def done(self) -> None:
        """Reject keys that were never read: they are misspelt or not part of the format."""
        unknown = [k for k in self._items if k not in self._read]
        if unknown:
            key = unknown[0]
            known = ", ".join(sorted(self._read))
            raise self.error(key, f"unknown field {key!r}", hint=f"known fields here: {known}")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"
