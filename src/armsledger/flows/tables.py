"""Loading the editable YAML tables of flows/ (item classes, sources): the shipped copy or a user's file."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


def shipped_table(name: str, parse: Callable[[Any, str], T]) -> T:
    """Parse the table ``name`` shipped inside the ``armsledger.flows`` package."""
    text = (resources.files("armsledger.flows") / name).read_text(encoding="utf-8")
    return parse(yaml.safe_load(text), f"armsledger/flows/{name}")


def user_table(
    path: Path | str, parse: Callable[[Any, str], T], fail: Callable[[str, str, str], Exception]
) -> T:
    """Parse a user's copy of a table; a file that cannot be read or is not YAML fails with ``fail``."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise fail(str(file), "file", f"cannot be read ({exc})") from None
    return parse(data, str(file))
