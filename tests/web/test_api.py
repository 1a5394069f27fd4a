"""The JSON API: lists with pagination, the error shape, roles, review with its audit trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from armsledger.cli import app
from armsledger.store import Ledger

from .conftest import bearer


def test_claims_list_paginates_with_totals(client: TestClient, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["viewer"])
    first = client.get("/api/v1/claims?limit=5", headers=auth).json()
    second = client.get("/api/v1/claims?limit=5&offset=5", headers=auth).json()
    assert first["total"] == second["total"] > 10
    assert (first["limit"], first["offset"], second["offset"]) == (5, 0, 5)
    ids = [c["claim_id"] for c in first["items"]] + [c["claim_id"] for c in second["items"]]
    assert len(ids) == len(set(ids)) == 10
    filtered = client.get("/api/v1/claims?supplier=PRK&recipient=RUS&limit=500", headers=auth).json()
    assert filtered["total"] == len(filtered["items"]) > 0
    assert {(c["supplier"], c["recipient"]) for c in filtered["items"]} == {("PRK", "RUS")}


def test_every_list_endpoint_answers_a_page(client: TestClient, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["viewer"])
    for name in ("documents", "claims", "flows", "estimates", "findings", "forecasts", "audit"):
        body = client.get(f"/api/v1/{name}?limit=2", headers=auth).json()
        assert set(body) == {"items", "total", "limit", "offset"}, name
        assert len(body["items"]) <= 2
    timeline = client.get(
        "/api/v1/timeline?supplier=PRK&recipient=RUS&item_class=artillery-ammunition", headers=auth
    ).json()
    assert timeline["best"]["value"] and timeline["series"]
    assert "/api/v1/claims/{claim_id}/review" in client.get("/api/v1/openapi.json").json()["paths"]


def test_errors_share_one_shape(client: TestClient, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["viewer"])
    cases = [
        (client.get("/api/v1/claims/nope", headers=auth), 404, "not_found"),
        (client.get("/api/v1/claims?limit=0", headers=auth), 422, "invalid"),
        (client.get("/api/v1/claims?supplier=Korea", headers=auth), 422, "invalid"),
        (client.get("/api/v1/claims"), 401, "unauthorized"),
        (client.get("/api/v1/claims", headers=bearer("abc.def")), 401, "unauthorized"),
        (client.get("/api/v1/nothing-here", headers=auth), 404, "not_found"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
        assert body["error"]["code"] == code


def test_viewer_cannot_review(client: TestClient, tokens: dict[str, str]) -> None:
    claim_id = client.get("/api/v1/claims?limit=1", headers=bearer(tokens["viewer"])).json()["items"][0][
        "claim_id"
    ]
    response = client.post(
        f"/api/v1/claims/{claim_id}/review", json={"action": "accept"}, headers=bearer(tokens["viewer"])
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert (
        client.get(f"/api/v1/claims/{claim_id}", headers=bearer(tokens["viewer"])).json()["review_state"]
        == "unreviewed"
    )


def test_analyst_review_is_audited_and_tampering_detected(
    client: TestClient, tokens: dict[str, str], web_db: Path
) -> None:
    auth = bearer(tokens["analyst"])
    items = client.get("/api/v1/claims?limit=2", headers=auth).json()["items"]
    first, second = items[0]["claim_id"], items[1]["claim_id"]
    accepted = client.post(f"/api/v1/claims/{first}/review", json={"action": "accept"}, headers=auth)
    assert accepted.status_code == 200 and accepted.json()["review_state"] == "accepted"
    edited = client.post(
        f"/api/v1/claims/{second}/review",
        json={"action": "edit", "quantity": {"value": 1234}, "note": "figure misread"},
        headers=auth,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["quantity"]["value"] == 1234 and edited.json()["review_state"] == "edited"
    log = client.get(f"/api/v1/audit?target={second}", headers=auth).json()["items"]
    assert log[0]["user"] == "analyst" and log[0]["action"] == "claim.edit"
    assert log[0]["after"]["quantity"]["value"] == 1234 and log[0]["after"]["note"] == "figure misread"
    assert log[0]["before"]["quantity"]["value"] != 1234

    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify", "--db", str(web_db)])
    assert ok.exit_code == 0, ok.output
    with sqlite3.connect(web_db) as conn:
        row_id = conn.execute("SELECT id FROM audit_log WHERE target = ?", (first,)).fetchone()[0]
        conn.execute("UPDATE audit_log SET user = 'someone-else' WHERE id = ?", (row_id,))
    broken = runner.invoke(app, ["audit", "verify", "--db", str(web_db)])
    assert broken.exit_code == 1
    assert f"row {row_id}" in broken.output


def test_deleted_audit_rows_are_detected(web_db: Path) -> None:
    from armsledger.accounts import Role
    from armsledger.store.review import ReviewAction, ReviewRequest

    with Ledger.open(str(web_db)) as ledger:
        ledger.add_user("ana", Role.ANALYST)
        ids = [c.claim_id for c in ledger.list_claims()[:3]]
        for claim_id in ids:
            ledger.review_claim(claim_id, ReviewRequest(ReviewAction.REJECT), user="ana")
        assert ledger.verify_audit().ok
    with sqlite3.connect(web_db) as conn:
        conn.execute("DELETE FROM audit_log WHERE id = 4")  # the newest row: only the head shows it
    with Ledger.open(str(web_db)) as ledger:
        check = ledger.verify_audit()
    assert not check.ok and check.bad_id == 4
    with sqlite3.connect(web_db) as conn:
        conn.execute("DELETE FROM audit_log WHERE id = 2")
    with Ledger.open(str(web_db)) as ledger:
        assert ledger.verify_audit().bad_id == 2


def test_review_rejects_bad_edits_and_merges(client: TestClient, tokens: dict[str, str]) -> None:
    auth = bearer(tokens["admin"])
    ids = [c["claim_id"] for c in client.get("/api/v1/claims?limit=2", headers=auth).json()["items"]]
    bad = client.post(
        f"/api/v1/claims/{ids[0]}/review", json={"action": "edit", "supplier": "Korea"}, headers=auth
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    unknown = client.post(f"/api/v1/claims/{ids[0]}/review", json={"action": "burn"}, headers=auth)
    assert unknown.status_code == 422
    merged = client.post(
        f"/api/v1/claims/{ids[0]}/review", json={"action": "merge", "into": ids[1]}, headers=auth
    )
    assert merged.status_code == 200 and merged.json()["review_state"] == "merged"
    log = client.get(f"/api/v1/audit?target={ids[0]}", headers=auth).json()["items"]
    assert log[0]["after"]["merged_into"] == ids[1]
