"""Who may talk to `prelude serve`: the person who started it, through their own browser.

- A random token per start, in the printed URL, is exchanged once for an HttpOnly,
  SameSite=Strict session cookie, then the browser is redirected to the same page without
  it (so it stays out of history and bookmarks). Any other request is refused with 403.
- The Host header must name the address served (a DNS-rebinding page names its own).
- Every form carries a CSRF token derived from the session; a post without it, or from
  another origin, is refused.
- The calendar feed (`/due.ics`) takes a separate, read-only token in its URL, since
  calendar clients hold no cookies; it opens nothing else.
- Every response forbids scripts, framing, outside requests and caching (`HEADERS`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "prelude_session"
FEED_PATH = "/due.ics"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make a form's Origin "null"
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


@dataclass(frozen=True, slots=True)
class Secrets:
    """This start's secrets: the URL token, the feed token and the session cookie's value."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    feed_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def csrf(self) -> str:
        """The forms' token: tied to the session, so a page of another start cannot post."""
        return hmac.new(self.session.encode(), b"csrf", hashlib.sha256).hexdigest()

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given, self.csrf())


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """Host headers accepted; None (any) only for a wildcard address with --allow-remote,
    which has no one name to check (the token and cookie still guard it)."""
    if is_wildcard(host):
        return None
    name = f"[{host}]" if ":" in host and not host.startswith("[") else host
    names = {f"{name}:{port}"}
    if is_loopback(host):
        names |= {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}
    if port == 80:
        names |= {n.rsplit(":", 1)[0] for n in names}
    return frozenset(n.lower() for n in names)


class Guard:
    """ASGI middleware in front of the whole application (see the module's docstring)."""

    def __init__(self, app: ASGIApp, secrets_: Secrets, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.secrets = secrets_
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        path = scope.get("path", "/")

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if self.hosts is not None and headers.get("host", "").lower() not in self.hosts:
            await _refuse(secured, 403, "This address is not the one prelude serve was "
                          "started on (the Host header does not match).")
            return
        if path == FEED_PATH:
            if scope["method"] in ("GET", "HEAD") and _same(query.get("token"),
                                                             self.secrets.feed_token):
                await self.app(scope, receive, secured)
            else:
                await _refuse(secured, 403, "The calendar feed needs its own token: use the "
                              "feed URL prelude serve printed.")
            return
        if "token" in query and scope["method"] == "GET":
            if not _same(query["token"], self.secrets.token):
                await _refuse(secured, 403, "This link's token is not the one of this start "
                              "of prelude serve: use the URL it printed.")
                return
            rest = urlencode([(k, v) for k, v in parse_qsl(
                scope.get("query_string", b"").decode("latin-1")) if k != "token"])
            where = "/" + quote(path.lstrip("/"))  # never `//host`: no redirect off the site
            await _redirect(secured, where + (f"?{rest}" if rest else ""), self.secrets.session)
            return
        if not _same(_cookie(headers.get("cookie", "")), self.secrets.session):
            await _refuse(secured, 403, "Open the URL that prelude serve printed when it "
                          "started (it carries a one-time token).")
            return
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if origin and (self.hosts is not None and
                           origin.lower().split("://", 1)[-1] not in self.hosts):
                await _refuse(secured, 403, "A form from another site was refused.")
                return
        await self.app(scope, receive, secured)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


async def _refuse(send: Send, status: int, message: str) -> None:
    body = (f"<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>"
            f"Refused</title></head><body><main><h1>Refused ({status})</h1><p>{message}</p>"
            "</main></body></html>").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, session: str) -> None:
    cookie = f"{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")),
                            (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
