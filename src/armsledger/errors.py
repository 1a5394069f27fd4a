"""The one exception tree of armsledger.

Every error says what failed, on which item, and what to do. The CLI maps :class:`UsageError` to exit
code 2 and every other :class:`ArmsledgerError` to exit code 1; tracebacks appear only with ``--debug``.
"""

from __future__ import annotations


class ArmsledgerError(Exception):
    """Base class: a failure armsledger understands and can explain to the user."""

    def __init__(self, message: str, *, item: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.item = item
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.item}: {self.message}" if self.item else self.message
        return f"{text} — {self.hint}" if self.hint else text


class UsageError(ArmsledgerError):
    """The command was called wrongly (bad option value, missing argument)."""


class InvalidRecordError(ArmsledgerError):
    """A record (claim, quantity, period) does not follow the interchange format."""


class IngestError(ArmsledgerError):
    """A document could not be read: empty, binary, not UTF-8, too large, malformed."""


class LexiconError(ArmsledgerError):
    """A lexicon or rule data file is malformed (names the file, line and field)."""


class RulesError(LexiconError):
    """A sanctions rule file is malformed; the message names the file, the line and the field."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{field}: {message}" if field else message, item=where, hint=hint)


class CatalogueError(ArmsledgerError):
    """An estimate catalogue data file (munitions, carriers, conventions) is malformed (names file and field)."""


class StoreError(ArmsledgerError):
    """The ledger database could not be opened, migrated or written."""


class CuratedRowError(InvalidRecordError):
    """A row of an analyst-curated claims file is malformed; the message names the file, line and field."""

    def __init__(self, message: str, *, file: str, line: int, field: str, hint: str | None = None) -> None:
        self.file = file
        self.line = line
        self.field = field
        super().__init__(f"{field}: {message}", item=f"{file}:{line}", hint=hint)
