"""The page's HTTP interface: a Starlette application over one Session, behind the security Guard.

Starlette (with uvicorn as the server) is a small, maintained ASGI toolkit: routing, requests and responses
without a framework's weight, and an in-process test client. The standard library's ``http.server`` would
need hand-written routing, body limits and header parsing, which is where servers get their holes.

Endpoints (all but ``/`` and ``/static`` need the session token, see ``security.py``):
``GET /api/state``; ``POST /api/inputs`` (raw file body, ``X-File-Name`` percent-encoded), ``/api/paste``,
``/api/keep``, ``/api/structure``, ``/api/cover``, ``/api/style``, ``/api/save``; ``GET /api/page/{n}``
(PNG, ``?size=thumb|large``), ``GET /api/download/{kind}`` (pdf, docx, imposed, source).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from publish.fonts import fonts_dir
from publish.serve import choices, edits, view
from publish.serve.security import Guard
from publish.serve.session import DOWNLOADS, Session, SessionError, StaleError

MAX_UPLOAD = 20 * 1024 * 1024  # one file; a speech as DOCX with a photo stays well below
MAX_TOTAL = 100 * 1024 * 1024  # all inputs of a session together
MAX_INPUTS = 50
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
# The page's own font for machines without a Chinese system font (the CSS names system fonts first, so a
# browser fetches them only when it has none): the bundled 黑体 stand-in and its fallback (the characters
# FandolHei lacks), served from the fonts folder.
UI_FONTS = {"ui-font.ttf": "FandolHei-Regular.ttf", "ui-font-more.ttf": "NotoSansCJKsc-Medium-fallback.ttf"}
MEDIA = {
    "pdf": "application/pdf",
    "imposed": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "source": "text/markdown; charset=utf-8",
}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class TooLarge(Exception):
    """Raised while reading a body that grows past its limit."""


def create_app(
    session: Session,
    token: str,
    hosts: list[str],
    *,
    max_upload: int = MAX_UPLOAD,
    max_total: int = MAX_TOTAL,
    max_inputs: int = MAX_INPUTS,
) -> Guard:
    """Return the ASGI application serving ``session`` to requests for ``hosts`` carrying ``token``."""
    received = {"bytes": 0}

    async def body(request: Request, limit: int) -> bytes:
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > limit:
                raise TooLarge
        return bytes(data)

    async def page(request: Request) -> Response:
        html = resources.files("publish.serve").joinpath("static/index.html").read_text(encoding="utf-8")
        return _secure(Response(html, media_type="text/html; charset=utf-8"))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name in UI_FONTS:
            font = FileResponse(fonts_dir() / UI_FONTS[name], media_type="font/ttf")
            return _secure(font, cache="private, max-age=86400")
        if name not in STATIC:
            return _secure(Response("not found", 404))
        text = resources.files("publish.serve").joinpath(f"static/{name}").read_text(encoding="utf-8")
        return _secure(Response(text, media_type=STATIC[name]))

    async def state(request: Request) -> Response:
        return _json(await run_in_threadpool(view.state, session))

    async def add_input(request: Request) -> Response:
        if len(session.inputs) >= max_inputs:
            return _error(413, f"一次最多添加 {max_inputs} 个文件")
        try:
            data = await body(request, min(max_upload, max_total - received["bytes"]))
        except TooLarge:
            return _error(
                413,
                f"文件太大：单个文件不超过 {max_upload // 1048576} MB，合计不超过 {max_total // 1048576} MB",
            )
        received["bytes"] += len(data)
        name = unquote(request.headers.get("x-file-name", "粘贴的文本.txt"))[:200]
        return await _do(lambda: session.add(name, data))

    async def paste(request: Request) -> Response:
        payload = await _payload(request, body, max_upload)
        if isinstance(payload, Response):
            return payload
        text = str(payload.get("text", ""))
        received["bytes"] += len(text.encode())
        return await _do(lambda: session.add("粘贴的文本.txt", text.encode("utf-8")))

    async def keep(request: Request) -> Response:
        payload = await _payload(request, body)
        if isinstance(payload, Response):
            return payload
        return await _do(lambda: session.keep(str(payload.get("id", "")), _rev(payload)))

    async def structure(request: Request) -> Response:
        payload = await _payload(request, body)
        if isinstance(payload, Response):
            return payload
        try:
            edit = edits.Edit(
                str(payload["op"]),
                int(payload["speech"]),
                int(payload.get("block", -1)),
                int(payload.get("level", 0)),
            )
        except (KeyError, TypeError, ValueError):
            return _error(400, "请求格式有误")
        return await _do(lambda: session.edit(edit, _rev(payload)))

    async def cover(request: Request) -> Response:
        payload = await _payload(request, body)
        if isinstance(payload, Response):
            return payload
        fields = (
            {k: str(v) for k, v in payload.get("cover", {}).items()}
            if isinstance(payload.get("cover"), dict)
            else {}
        )
        return await _do(lambda: session.cover(fields, _rev(payload)))

    async def style(request: Request) -> Response:
        payload = await _payload(request, body)
        if isinstance(payload, Response):
            return payload
        try:
            form = payload["style"]
            picked = choices.StyleChoices(
                bool(form["recto"]),
                int(form["toc_depth"]),
                bool(form["compress_punctuation"]),
                str(form["docx_fonts"]),
                bool(form.get("toc_speaker", False)),
            )
        except (KeyError, TypeError, ValueError):
            return _error(400, "请求格式有误")
        return await _do(lambda: session.set_style(picked, _rev(payload)))

    async def save(request: Request) -> Response:
        def run() -> dict[str, Any]:
            written = session.save()
            return {"saved": [str(path) for path in written], "state": view.state(session)}

        try:
            return _json(await run_in_threadpool(run))
        except SessionError as exc:
            return _error(409, str(exc))

    async def page_image(request: Request) -> Response:
        size = request.query_params.get("size", "thumb")
        try:
            png = await run_in_threadpool(session.page_image, request.path_params["number"], size)
        except SessionError as exc:
            return _error(404, str(exc))
        return _secure(Response(png, media_type="image/png"))

    async def download(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return _error(404, "没有这种文件")
        try:
            path = await run_in_threadpool(session.output, kind)
        except SessionError as exc:
            return _error(404, str(exc))
        filename = f"{session.name}{DOWNLOADS[kind]}"
        disposition = f"attachment; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"
        response = FileResponse(path, media_type=MEDIA[kind], headers={"content-disposition": disposition})
        return _secure(response)

    async def _do(change: Any) -> Response:
        def run() -> dict[str, Any]:
            change()
            return view.state(session)

        try:
            return _json(await run_in_threadpool(run))
        except StaleError as exc:
            return _error(409, str(exc))
        except SessionError as exc:
            return _error(422, str(exc))

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", page),
        Route("/favicon.ico", no_icon),
        Route("/static/{name}", static),
        Route("/api/state", state),
        Route("/api/inputs", add_input, methods=["POST"]),
        Route("/api/paste", paste, methods=["POST"]),
        Route("/api/keep", keep, methods=["POST"]),
        Route("/api/structure", structure, methods=["POST"]),
        Route("/api/cover", cover, methods=["POST"]),
        Route("/api/style", style, methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/page/{number:int}", page_image),
        Route("/api/download/{kind}", download),
    ]
    return Guard(Starlette(routes=routes), token, hosts, max_body=max(max_upload, 1))


async def _payload(request: Request, body: Any, limit: int = 1024 * 1024) -> dict[str, Any] | Response:
    """Return the JSON object of the request, or the error response to send instead."""
    try:
        data = json.loads(await body(request, limit))
    except TooLarge:
        return _error(413, "内容太长")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "请求格式有误")
    return data if isinstance(data, dict) else _error(400, "请求格式有误")


def _rev(payload: dict[str, Any]) -> int | None:
    value = payload.get("rev")
    return value if isinstance(value, int) else None


def _json(data: dict[str, Any]) -> Response:
    return _secure(JSONResponse(data))


def _error(status: int, message: str) -> Response:
    return _secure(JSONResponse({"error": message}, status_code=status))


def _secure(response: Response, cache: str = "no-store") -> Response:
    response.headers.update(SECURITY_HEADERS)
    response.headers["cache-control"] = cache
    return response
