"""Pages, sign-in and CSRF, escaping, the bind check, exports and the offline report."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from armsledger.cli import app
from armsledger.models import Document
from armsledger.store import Ledger
from armsledger.web import create_app

from ..conftest import make_claim


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def _login(client: TestClient, name: str, token: str) -> None:
    csrf = _csrf(client.get("/login").text)
    response = client.post(
        "/login", data={"name": name, "token": token, "csrf": csrf}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def test_pages_need_sign_in_once_accounts_exist(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    _login(client, "viewer", tokens["viewer"])
    page = client.get("/")
    assert page.status_code == 200
    assert page.text.count('<svg class="sankey chart"') == 1 and 'class="timeline chart"' in page.text
    for path in ("/claims?q=shell&supplier=PRK", "/documents?q=a", "/review", "/audit"):
        assert client.get(path).status_code == 200, path


def test_wrong_token_does_not_sign_in(client: TestClient, tokens: dict[str, str]) -> None:
    csrf = _csrf(client.get("/login").text)
    response = client.post("/login", data={"name": "analyst", "token": tokens["viewer"], "csrf": csrf})
    assert response.status_code == 401


def test_form_posts_without_the_csrf_token_are_rejected(client: TestClient, tokens: dict[str, str]) -> None:
    _login(client, "analyst", tokens["analyst"])
    claim_id = client.get(
        "/api/v1/claims?limit=1", headers={"Authorization": f"Bearer {tokens['analyst']}"}
    ).json()["items"][0]["claim_id"]
    for csrf in ("", "forged"):
        response = client.post(f"/claims/{claim_id}/review", data={"action": "accept", "csrf": csrf})
        assert response.status_code == 403 and "CSRF" in response.text
    assert client.get(f"/api/v1/claims/{claim_id}").json()["review_state"] == "unreviewed"
    csrf = _csrf(client.get(f"/claims/{claim_id}").text)
    done = client.post(
        f"/claims/{claim_id}/review",
        data={"action": "edit", "csrf": csrf, "quantity_value": "77"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert client.get(f"/api/v1/claims/{claim_id}").json()["quantity"]["value"] == 77
    assert "analyst" in client.get("/audit").text


def test_viewer_form_review_is_forbidden(client: TestClient, tokens: dict[str, str]) -> None:
    _login(client, "viewer", tokens["viewer"])
    claim_id = client.get("/api/v1/claims?limit=1").json()["items"][0]["claim_id"]
    csrf = _csrf(client.get("/review").text)
    response = client.post(f"/claims/{claim_id}/review", data={"action": "reject", "csrf": csrf})
    assert response.status_code == 403


def test_document_text_is_escaped_and_evidence_highlighted(tmp_path: Path) -> None:
    text = "Officials said <script>alert('x')</script> then 500 shells were shipped from A to B."
    doc = Document.from_text(text, title="<b>title</b>", published=date(2024, 5, 1))
    start = text.index("500 shells")
    claim = make_claim(value=500, evidence=text[start:], span=(start, len(text)))
    with Ledger.open(str(tmp_path / "x.db")) as ledger:
        ledger.add_document(doc, [claim])
        with TestClient(create_app(ledger=ledger)) as client:
            html = client.get(f"/documents/{doc.id}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<b>title</b>" not in html and "&lt;b&gt;title&lt;/b&gt;" in html
    assert re.search(r'<mark class="ev" id="ev-[0-9a-f]+"[^>]*>500 shells were shipped', html)


def test_serve_refuses_a_public_address_without_accounts(web_db: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9", "--db", str(web_db)])
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0" in result.output


def test_export_formats(web_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    with Ledger.open(str(web_db)) as ledger:
        n = ledger.counts().claims
    csv_out = runner.invoke(app, ["export", "--format", "csv", "--db", str(web_db)])
    assert csv_out.exit_code == 0 and len(csv_out.stdout.strip().splitlines()) == n + 1
    json_file = tmp_path / "claims.json"
    assert (
        runner.invoke(
            app, ["export", "--format", "json", "--out", str(json_file), "--db", str(web_db)]
        ).exit_code
        == 0
    )
    assert len(json.loads(json_file.read_text())) == n
    pq_file = tmp_path / "claims.parquet"
    assert (
        runner.invoke(app, ["export", "-f", "parquet", "-o", str(pq_file), "--db", str(web_db)]).exit_code
        == 0
    )
    table = pq.read_table(pq_file)
    assert table.num_rows == n and str(table.schema.field("quantity_value").type) == "double"
    assert runner.invoke(app, ["export", "-f", "parquet", "--db", str(web_db)]).exit_code == 2
    assert runner.invoke(app, ["export", "-f", "xml", "--db", str(web_db)]).exit_code == 2


def test_report_opens_offline_with_its_charts(web_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--db", str(web_db)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert '<svg class="sankey chart"' in html and html.count('class="timeline chart"') >= 1
    assert 'id="forecasts"' in html and 'id="sanctions"' in html
