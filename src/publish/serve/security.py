"""The guard in front of the page's server: it is a server even on 127.0.0.1, so every request is checked.

- Host: only the server's own address and port (the names a browser uses for it). Any other Host is a
  DNS-rebinding attempt — a foreign site whose name resolves to 127.0.0.1 — and is refused with 421.
- Token: a per-session random token, in the address the server opens (``?token=``) and sent back by the page
  as the ``X-Publish-Token`` header; the page and every ``/api`` request need it (403 without). State-changing
  requests accept it only as that header, which a cross-site form or image cannot set without a CORS preflight
  the server never grants.
- Origin: a state-changing request (anything but GET/HEAD) whose ``Origin`` is not the server's own, or whose
  ``Sec-Fetch-Site`` says cross-site or same-site, is refused with 403.
- Size: a request body longer than ``max_body`` is refused with 413 before it is read (the endpoints count the
  bytes of bodies sent without a length as they read them).
Static files are served from a fixed table (``app.py``); no part of a request path reaches the file system.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_HEADER = "x-publish-token"
SAFE_METHODS = frozenset({"GET", "HEAD"})
OPEN_PATHS = ("/static/", "/favicon.ico")  # package files, no token needed (still Host-checked)


class Guard:
    """ASGI middleware applying the checks above to every HTTP request."""

    def __init__(self, app: ASGIApp, token: str, hosts: Iterable[str], max_body: int) -> None:
        self.app = app
        self.token = token
        self.hosts = frozenset(host.lower() for host in hosts)
        self.origins = frozenset(f"http://{host}" for host in self.hosts)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            status, text = refusal
            await _plain(send, status, text)
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """Return (status, reason) when the request must be refused, else None."""
        headers = _headers(scope)
        if headers.get("host", "").lower() not in self.hosts:
            return 421, "refused: unknown Host (this server only answers to its own address)"
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        if ".." in path or "\\" in path or "\x00" in path:
            return 404, "not found"
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in self.origins:
                return 403, "refused: cross-origin request"
            if headers.get("sec-fetch-site", "same-origin") not in {"same-origin", "none"}:
                return 403, "refused: cross-site request"
            if not self._token_ok(headers.get(TOKEN_HEADER, "")):
                return 403, "refused: missing or wrong session token"
            length = headers.get("content-length", "")
            if length and (not length.isdigit() or int(length) > self.max_body):
                return 413, f"refused: request body over {self.max_body} bytes"
            return None
        if path.startswith(OPEN_PATHS):
            return None
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = headers.get(TOKEN_HEADER) or next(iter(query.get("token", [])), "")
        if not self._token_ok(given):
            return 403, "refused: missing or wrong session token (open the address publish serve printed)"
        return None

    def _token_ok(self, given: str) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())


def _headers(scope: Scope) -> dict[str, str]:
    """Return the request headers, names lower-cased; of a repeated header the first."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        found.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return found


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
