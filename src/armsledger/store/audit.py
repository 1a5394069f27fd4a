"""The audit log: append-only rows, each hashed together with the previous row's hash (SQL only here).

``verify`` recomputes the chain and reports the first row that was edited, or the place where rows were
deleted. A writer who can rewrite the whole table can also recompute the chain: record the head hash
``armsledger audit verify`` prints somewhere else to detect that too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from armsledger.store.schema import audit_head, audit_log

GENESIS_HASH = "0" * 64
_HEAD_ID = 1


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited change: who did what to which record, when, and the record before and after."""

    id: int
    at: str
    user: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """The result of verifying the chain: ``bad_id`` names the first row that fails, ``problem`` why."""

    ok: bool
    rows: int
    head_hash: str
    bad_id: int | None = None
    problem: str | None = None


def canonical_json(value: Any) -> str | None:
    """The one JSON text of ``value`` that is stored and hashed (sorted keys, no spaces); None stays None."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(
    *, id: int, at: str, user: str, action: str, target: str, before: str | None, after: str | None, prev: str
) -> str:
    """sha256 over the row's fields and the previous row's hash."""
    payload = canonical_json(
        {
            "id": id,
            "at": at,
            "user": user,
            "action": action,
            "target": target,
            "before": before,
            "after": after,
            "prev_hash": prev,
        }
    )
    assert payload is not None
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    conn: Connection,
    *,
    user: str,
    action: str,
    target: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one row to the chain inside the caller's transaction (the change and its audit commit together)."""
    # FOR UPDATE: on PostgreSQL concurrent reviewers queue on the head row instead of both reading the
    # same head and one failing on the duplicate id. SQLite has one writer at a time and omits the clause.
    head = conn.execute(select(audit_head).where(audit_head.c.id == _HEAD_ID).with_for_update()).first()
    last_id, prev = (int(head.last_id), str(head.last_hash)) if head is not None else (0, GENESIS_HASH)
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    before_text, after_text = canonical_json(before), canonical_json(after)
    new_id = last_id + 1
    digest = row_hash(
        id=new_id,
        at=at,
        user=user,
        action=action,
        target=target,
        before=before_text,
        after=after_text,
        prev=prev,
    )
    conn.execute(
        insert(audit_log).values(
            id=new_id,
            at=at,
            user=user,
            action=action,
            target=target,
            before=before_text,
            after=after_text,
            prev_hash=prev,
            hash=digest,
        )
    )
    if head is None:
        conn.execute(insert(audit_head).values(id=_HEAD_ID, last_id=new_id, last_hash=digest))
    else:
        conn.execute(
            update(audit_head).where(audit_head.c.id == _HEAD_ID).values(last_id=new_id, last_hash=digest)
        )
    return AuditEntry(new_id, at, user, action, target, before, after, prev, digest)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=int(row.id),
        at=row.at,
        user=row.user,
        action=row.action,
        target=row.target,
        before=json.loads(row.before) if row.before is not None else None,
        after=json.loads(row.after) if row.after is not None else None,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def entries(
    conn: Connection, *, target: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[AuditEntry]]:
    """The total number of matching rows and one page of them, newest first."""
    where = [audit_log.c.target == target] if target else []
    total = conn.execute(select(func.count()).select_from(audit_log).where(*where)).scalar_one()
    rows = conn.execute(
        select(audit_log).where(*where).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    )
    return int(total), [_entry(r) for r in rows]


def verify(conn: Connection) -> AuditCheck:
    """Recompute the chain; the first row whose link or hash fails, or a deleted tail, is reported."""
    prev = GENESIS_HASH
    expected_id = 1
    count = 0
    for row in conn.execute(select(audit_log).order_by(audit_log.c.id)):
        count += 1
        if int(row.id) != expected_id:
            return AuditCheck(False, count, prev, expected_id, f"row {expected_id} is missing (deleted)")
        if row.prev_hash != prev:
            return AuditCheck(
                False, count, prev, int(row.id), "its prev_hash does not match the row before it"
            )
        digest = row_hash(
            id=int(row.id),
            at=row.at,
            user=row.user,
            action=row.action,
            target=row.target,
            before=row.before,
            after=row.after,
            prev=row.prev_hash,
        )
        if digest != row.hash:
            return AuditCheck(False, count, prev, int(row.id), "its content does not match its hash (edited)")
        prev = row.hash
        expected_id += 1
    head = conn.execute(select(audit_head).where(audit_head.c.id == _HEAD_ID)).first()
    last_id, last_hash = (int(head.last_id), str(head.last_hash)) if head is not None else (0, GENESIS_HASH)
    if last_id != count:
        missing = count + 1 if last_id > count else last_id
        return AuditCheck(
            False, count, prev, missing, f"the log ends at row {count} but the head records row {last_id}"
        )
    if last_hash != prev:
        return AuditCheck(False, count, prev, count, "the last row's hash does not match the recorded head")
    return AuditCheck(True, count, prev)
