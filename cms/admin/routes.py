"""HTTP routes of the web app: sign in, sign out, the app's shell, its files and operations.

Only signing in and out happen here; everything the app shows or changes goes through
``/graphql`` with the signed-in person's rights. The sign-in page works without JavaScript.

Pages are served with a strict Content-Security-Policy (scripts, styles and connections from
this server only; no inline script), are never cached, and cannot be framed.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import ChainableUndefined, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from cms.admin import OPERATIONS, STATIC, TEMPLATES
from cms.http import auth, csrf
from cms.http.errors import error_response
from cms.services import accounts, password_links, passwords, sessions
from cms.settings import Settings

PREFIX = "/admin"
LANGUAGES = ("fr", "en")
LANGUAGE_COOKIE = "cinq_lang"
_OPERATION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,99}")


def admin_routes(settings: Settings, authentication: auth.Authentication) -> list[BaseRoute]:
    pages = _Pages(settings, authentication)
    return [
        Route(f"{PREFIX}/sign-in", pages.sign_in_form, methods=["GET"]),
        Route(f"{PREFIX}/sign-in", pages.sign_in, methods=["POST"]),
        Route(f"{PREFIX}/sign-out", pages.sign_out, methods=["POST"]),
        Route(f"{PREFIX}/password/{{secret}}", pages.password_form, methods=["GET"]),
        Route(f"{PREFIX}/password/{{secret}}", pages.set_password, methods=["POST"]),
        Route(f"{PREFIX}/operations/{{name}}.graphql", pages.operation, methods=["GET"]),
        Mount(f"{PREFIX}/static", _StaticFiles(directory=STATIC), name="admin-static"),
        Route(PREFIX, pages.to_app, methods=["GET"]),
        Route(f"{PREFIX}/{{path:path}}", pages.app, methods=["GET"]),
    ]


class _Pages:
    def __init__(self, settings: Settings, authentication: auth.Authentication) -> None:
        self.settings = settings
        self.authentication = authentication
        self.lifetime = sessions.Lifetime.of(settings)
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            undefined=ChainableUndefined,
            auto_reload=settings.debug,
        )
        self.operations = {
            path.stem: path.read_text(encoding="utf-8")
            for path in sorted(OPERATIONS.glob("*.graphql"))
        }
        self.config = {
            "operations": {
                name: hashlib.sha256(text.encode()).hexdigest()
                for name, text in self.operations.items()
            },
            "graphqlPath": "/graphql",
            "csrfHeader": csrf.HEADER,
            "signOutPath": f"{PREFIX}/sign-out",
            "languages": list(LANGUAGES),
        }
        self.headers = _security_headers(settings)

    # --- signing in and out ----------------------------------------------------------------

    async def sign_in_form(self, request: Request) -> Response:
        notice = None
        if auth.EXPIRED_SESSION in request.auth.scopes or "expired" in request.query_params:
            notice = "expired"
        elif "signed_out" in request.query_params:
            notice = "signed_out"
        elif "password_set" in request.query_params:
            notice = "password_set"
        response = self._sign_in_page(
            request, next=_safe_next(request.query_params.get("next")), notice=notice
        )
        if auth.EXPIRED_SESSION in request.auth.scopes:
            auth.clear_session_cookie(response)
        return response

    async def sign_in(self, request: Request) -> Response:
        """Check the password; a session cookie and back to where the person was going."""
        if csrf.foreign_origin(request):
            return self._sign_in_page(request, error="origin", status=403)
        async with request.form(max_files=0, max_fields=10) as form:
            email, password, target = (
                _text(form.get(name)) for name in ("email", "password", "next")
            )
        target = _safe_next(target)
        try:
            await self.authentication.check_quota(request)
        except auth.TooManyFailures as refused:
            wait = int(refused.wait) + 1
            return self._sign_in_page(
                request,
                error="throttled",
                email=email,
                next=target,
                retry_after=wait,
                status=429,
                headers={"retry-after": str(wait)},
            )
        user_agent = request.headers.get("user-agent", "")
        secret = await sessions.sign_in(email, password, self.lifetime, user_agent)
        if secret is None:
            await self.authentication.failed(request)
            return self._sign_in_page(request, error="failed", email=email, next=target, status=401)
        response = RedirectResponse(target, status_code=303, headers=self.headers)
        response.set_cookie(
            sessions.COOKIE,
            secret,
            max_age=self.settings.session_max_age,
            path="/",
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="lax",
        )
        return response

    # --- setting a password through a one-time link ---------------------------------------

    async def password_form(self, request: Request) -> Response:
        account = await password_links.account_for(request.path_params["secret"])
        if account is None:
            return self._password_page(request, None, error="expired", status=404)
        return self._password_page(request, account.email)

    async def set_password(self, request: Request) -> Response:
        """Set the password the link is for, then on to signing in with it."""
        secret = request.path_params["secret"]
        account = await password_links.account_for(secret)
        if account is None:
            return self._password_page(request, None, error="expired", status=404)
        if csrf.foreign_origin(request):
            return self._password_page(request, account.email, error="origin", status=403)
        async with request.form(max_files=0, max_fields=10) as form:
            password, again = (_text(form.get(name)) for name in ("password", "again"))
        if password != again:
            return self._password_page(request, account.email, error="mismatch", status=400)
        try:
            await password_links.use(secret, password)
        except accounts.AccountError as error:
            problem = "weak" if error.field == "password" else "expired"
            return self._password_page(request, account.email, error=problem, status=400)
        return RedirectResponse(
            f"{PREFIX}/sign-in?password_set=1", status_code=303, headers=self.headers
        )

    def _password_page(
        self, request: Request, email: str | None, *, error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        return self._render(
            "password.html",
            request,
            self._language(request),
            status=status,
            email=email,
            error=error,
            min_length=passwords.MIN_LENGTH,
            action=request.url.path,
        )

    async def sign_out(self, request: Request) -> Response:
        if csrf.foreign_origin(request):
            return error_response(403, "Sign-out must come from this site's pages.", "FORBIDDEN")
        secret = request.cookies.get(sessions.COOKIE)
        if secret is not None:
            await sessions.end(secret)
        response = RedirectResponse(
            f"{PREFIX}/sign-in?signed_out=1", status_code=303, headers=self.headers
        )
        auth.clear_session_cookie(response)
        return response

    # --- the app ---------------------------------------------------------------------------

    async def to_app(self, request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=308)

    async def app(self, request: Request) -> Response:
        """The app's shell for every path under /admin/: the app routes in the browser."""
        scopes = request.auth.scopes
        if auth.SESSION not in scopes:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            target = f"{PREFIX}/sign-in?next={quote(path, safe='/')}"
            if auth.EXPIRED_SESSION in scopes:
                target += "&expired=1"
            response = RedirectResponse(target, status_code=303, headers=self.headers)
            if auth.EXPIRED_SESSION in scopes:
                auth.clear_session_cookie(response)
            return response
        lang = self._language(request)
        config = {**self.config, "lang": lang}
        return self._render("app.html", request, lang, config_json=_script_json(config))

    async def operation(self, request: Request) -> Response:
        name = request.path_params["name"]
        text = self.operations.get(name) if _OPERATION_NAME.fullmatch(name) else None
        if text is None:
            return error_response(404, f"No operation is named {name!r}.", "NOT_FOUND")
        return PlainTextResponse(
            text, media_type="application/graphql", headers={"cache-control": "no-cache"}
        )

    # --- rendering -------------------------------------------------------------------------

    def _sign_in_page(
        self,
        request: Request,
        *,
        error: str | None = None,
        notice: str | None = None,
        email: str = "",
        next: str = f"{PREFIX}/",
        retry_after: int | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        return self._render(
            "sign_in.html",
            request,
            self._language(request),
            status=status,
            headers=headers,
            error=error,
            notice=notice,
            email=email,
            next=next,
            retry_after=retry_after,
        )

    def _render(
        self,
        template: str,
        request: Request,
        lang: str,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        html = self.templates.get_template(template).render(
            lang=lang, t=_messages(lang), static=f"{PREFIX}/static", **context
        )
        return HTMLResponse(html, status_code=status, headers={**self.headers, **(headers or {})})

    def _language(self, request: Request) -> str:
        """The app's language: the person's choice, else the browser's, else the site's."""
        chosen = request.cookies.get(LANGUAGE_COOKIE)
        if chosen in LANGUAGES:
            return chosen
        for tag in _accepted(request.headers.get("accept-language", "")):
            primary = tag.split("-", 1)[0]
            if primary in LANGUAGES:
                return primary
        default = self.settings.default_locale.split("-", 1)[0]
        return default if default in LANGUAGES else "en"


class _StaticFiles(StaticFiles):
    """The app's files, revalidated on every load so an upgrade is seen at once."""

    def file_response(self, full_path: Any, stat_result: Any, scope: Scope, status_code: int = 200):
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = "no-cache"
        response.headers["x-content-type-options"] = "nosniff"
        return response


_MESSAGES: dict[str, dict[str, Any]] = {}


def _messages(lang: str) -> dict[str, Any]:
    """The app's words in ``lang``, shared with the JavaScript (``static/i18n``)."""
    if lang not in _MESSAGES:
        path: Path = STATIC / "i18n" / f"{lang}.json"
        _MESSAGES[lang] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return _MESSAGES[lang]


def _accepted(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most wanted first."""
    weighted = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag:
            weighted.append((-quality, index, tag.strip().lower()))
    return [tag for _, _, tag in sorted(weighted)]


def _safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of the app, never another site."""
    if not value or len(value) > 2000:
        return f"{PREFIX}/"
    parts = urlsplit(value)
    if (
        parts.scheme
        or parts.netloc
        or "\\" in value
        or not (parts.path == PREFIX or parts.path.startswith(f"{PREFIX}/"))
        or parts.path.startswith(f"{PREFIX}/sign-")
        or any(ord(c) < 32 for c in value)
    ):
        return f"{PREFIX}/"
    return value


def _text(value: object) -> str:
    return value[:2000] if isinstance(value, str) and "\x00" not in value else ""


def _script_json(value: object) -> str:
    """JSON that can sit inside a <script> element: no </script>, no HTML comment."""
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _security_headers(settings: Settings) -> dict[str, str]:
    images = "'self' data: blob:"
    media = urlsplit(settings.media_url)
    if media.scheme and media.netloc:
        images += f" {media.scheme}://{media.netloc}"
    policy = "; ".join(
        (
            "default-src 'self'",
            f"img-src {images}",
            "style-src 'self'",
            "script-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        )
    )
    return {
        "content-security-policy": policy,
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
    }
