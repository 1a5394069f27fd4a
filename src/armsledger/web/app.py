"""The FastAPI application: routers, bundled static files, and the one error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import armsledger
from armsledger.errors import ArmsledgerError, UsageError
from armsledger.store import Ledger
from armsledger.web import api, pages
from armsledger.web.auth import Signer
from armsledger.web.errors import LoginRequired, WebError
from armsledger.web.views import STATIC_DIR, environment, render

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
}


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    """The API's one error shape."""
    return {"error": {"code": code, "message": message, "detail": detail}}


def _respond(request: Request, status: int, code: str, message: str, detail: Any = None) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(error_body(code, message, detail), status_code=status)
    return render(request, "error.html.j2", status=status, status_code=status, code=code, message=message)


def create_app(url: str | None = None, *, ledger: Ledger | None = None) -> FastAPI:
    """The workbench over the ledger at ``url`` (or an open ``ledger``), migrated on open."""
    app = FastAPI(
        title="armsledger",
        version=armsledger.__version__,
        description="Claims about transfers of weapons, ammunition and military personnel between states.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads its scripts from a CDN; the workbench stays offline
        redoc_url=None,
    )
    app.state.ledger = ledger if ledger is not None else Ledger.open(url)
    app.state.signer = Signer.fresh()
    app.state.templates = environment()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(LoginRequired)
    def _login(request: Request, exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api/") or request.method != "GET":
            return _respond(request, exc.status, exc.code, exc.message)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(WebError)
    def _web(request: Request, exc: WebError) -> Response:
        return _respond(request, exc.status, exc.code, exc.message, exc.detail)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return _respond(request, exc.status_code, _CODES.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return _respond(request, 422, "invalid", "the request is not valid", detail)

    @app.exception_handler(ArmsledgerError)
    def _core(request: Request, exc: ArmsledgerError) -> Response:
        status = 400 if isinstance(exc, UsageError) else 500
        return _respond(request, status, "bad_request" if status == 400 else "server_error", str(exc))

    return app
