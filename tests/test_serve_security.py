"""publish serve's guard in process (Host, Origin, token, upload limits, paths), and once over a socket."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from publish.serve.app import create_app
from publish.serve.server import prepare
from publish.serve.session import Session

CASES = Path(__file__).parent / "cases" / "serve"
TOKEN = "test-token-0123456789"
ADDRESS = "127.0.0.1:8765"
HOSTS = [ADDRESS, "localhost:8765"]
OURS = {"X-Publish-Token": TOKEN, "Origin": f"http://{ADDRESS}"}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(tmp_path / "work", tmp_path / "out")


@pytest.fixture
def client(session: Session) -> TestClient:
    app = create_app(session, TOKEN, HOSTS, max_upload=4000, max_total=6000, max_inputs=3)
    return TestClient(app, base_url=f"http://{ADDRESS}")


def upload(client: TestClient, data: bytes, name: str = "a.txt", **headers: str) -> int:
    sent = {**OURS, "X-File-Name": name, **headers}
    return client.post("/api/inputs", content=data, headers=sent).status_code


SMALL = (CASES / "river-raw.txt").read_bytes()


def sized(size: int) -> bytes:
    """Return a readable raw text of exactly ``size`` bytes."""
    return SMALL + "。".encode() * ((size - len(SMALL)) // 3) + b"\n" * ((size - len(SMALL)) % 3)


def test_own_address_with_token_is_served(client: TestClient) -> None:
    assert client.get(f"/?token={TOKEN}").status_code == 200
    assert client.get("/api/state", headers={"X-Publish-Token": TOKEN}).json()["rev"] == 0
    assert client.get(f"/?token={TOKEN}", headers={"host": "localhost:8765"}).status_code == 200
    assert upload(client, SMALL) == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1:9999", "127.0.0.1.nip.io:8765", ""]
)
def test_foreign_host_is_refused(client: TestClient, host: str) -> None:
    for response in (
        client.get(f"/?token={TOKEN}", headers={"host": host}),
        client.get("/static/app.js", headers={"host": host}),
        client.post("/api/inputs", content=SMALL, headers={**OURS, "host": host}),
    ):
        assert response.status_code == 421


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "http://127.0.0.1:9999", "null", "https://127.0.0.1:8765"]
)
def test_cross_origin_change_is_refused(client: TestClient, session: Session, origin: str) -> None:
    assert upload(client, SMALL, Origin=origin) == 403
    response = client.post("/api/cover", json={"cover": {"title": "x"}}, headers={**OURS, "Origin": origin})
    assert response.status_code == 403
    assert session.inputs == []


def test_cross_site_fetch_metadata_is_refused(client: TestClient) -> None:
    assert upload(client, SMALL, **{"Sec-Fetch-Site": "cross-site"}) == 403
    assert upload(client, SMALL, **{"Sec-Fetch-Site": "same-site"}) == 403
    assert upload(client, SMALL, **{"Sec-Fetch-Site": "same-origin"}) == 200


def test_token_is_required(client: TestClient, session: Session) -> None:
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/api/state").status_code == 403
    assert client.get("/api/download/source").status_code == 403
    # a change takes the token only as a header: a form or an image cannot carry it there
    response = client.post(f"/api/inputs?token={TOKEN}", content=SMALL, headers={"Origin": OURS["Origin"]})
    assert response.status_code == 403
    assert upload(client, SMALL, **{"X-Publish-Token": "wrong"}) == 403
    assert session.inputs == []
    assert client.get("/static/app.js").status_code == 200  # package files need none


def test_oversize_upload_is_refused(client: TestClient, session: Session) -> None:
    assert upload(client, b"x" * 4001) == 413  # declared length over the limit

    def chunks() -> Iterator[bytes]:  # no length declared: counted while read
        yield from [b"x" * 1000] * 5

    response = client.post("/api/inputs", content=chunks(), headers={**OURS, "X-File-Name": "a.txt"})
    assert response.status_code == 413
    assert session.inputs == []
    assert upload(client, sized(3000)) == 200
    assert upload(client, sized(3000)) == 200
    assert upload(client, SMALL) == 413  # the session's total (6000 bytes here) is spent
    assert len(session.inputs) == 2


def test_too_many_inputs(tmp_path: Path) -> None:
    made = Session(tmp_path / "work", tmp_path / "out")
    client = TestClient(create_app(made, TOKEN, HOSTS, max_inputs=2), base_url=f"http://{ADDRESS}")
    assert [upload(client, SMALL) for _ in range(3)] == [200, 200, 413]


def test_oversize_json_is_refused(client: TestClient) -> None:
    assert upload(client, SMALL) == 200
    response = client.post("/api/cover", content=b"{" + b" " * 2_000_000 + b"}", headers=OURS)
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/api/download/..%2F..%2Fetc%2Fpasswd",
        "/api/download/%2e%2e",
        "/static/..\\app.js",
        "/static/app.js%00.png",
        "/api/page/..%2f1",
    ],
)
def test_dot_dot_paths_are_refused(client: TestClient, path: str) -> None:
    response = client.get(f"{path}?token={TOKEN}")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/static/../x", "/api/download/../../etc/passwd", "/static/..%2Fx"])
def test_dot_dot_in_the_raw_request_path(path: str, session: Session) -> None:
    """The guard sees the path as the server passes it, before any client could normalise it."""
    app = create_app(session, TOKEN, HOSTS)
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": f"token={TOKEN}".encode(),
        "headers": [(b"host", ADDRESS.encode())],
    }
    import asyncio

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 404


def test_an_upload_name_never_becomes_a_path(client: TestClient, session: Session, tmp_path: Path) -> None:
    before = set(tmp_path.parent.iterdir())
    assert upload(client, SMALL, name="..%2F..%2F..%2Fevil-raw.txt") == 200
    assert session.inputs == ["../../../evil-raw.txt"] and session.name == "evil"
    saved = client.post("/api/save", headers=OURS).json()["saved"]
    assert {Path(p).parent for p in saved} == {session.out_dir}
    assert set(tmp_path.parent.iterdir()) == before  # nothing beside the test's own folder
    inside = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")}
    assert inside == {"work", "out"}


def test_unknown_download_and_page(client: TestClient) -> None:
    assert upload(client, SMALL) == 200
    headers = {"X-Publish-Token": TOKEN}
    assert client.get("/api/download/passwd", headers=headers).status_code == 404
    assert client.get("/api/page/99", headers=headers).status_code == 404
    assert client.get("/static/index.html", headers=headers).status_code == 404
    assert client.get("/api/download/pdf", headers=headers).content[:5] == b"%PDF-"


def test_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    response = client.get(f"/?token={TOKEN}")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "http" not in response.text.replace("http-equiv", "")  # nothing from the network


def test_real_socket_checks_host_and_origin(tmp_path: Path) -> None:
    """uvicorn passes the Host header through unchanged: the guard sees what a rebinding browser sends."""
    running = prepare(Session(tmp_path / "work", tmp_path / "out"))
    thread = running.start_thread()
    try:
        port = int(running.url.split(":")[2].split("/")[0])

        def request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(method, path, body=body, headers=headers)
            status = connection.getresponse().status
            connection.close()
            return status

        own = f"127.0.0.1:{port}"
        token = {"X-Publish-Token": running.token}
        assert request("GET", "/api/state", {"Host": own, **token}) == 200
        assert request("GET", "/api/state", {"Host": f"attacker.example:{port}", **token}) == 421
        body = json.dumps({"text": "标题\n正文。"}).encode()
        evil = {"Host": own, "Origin": "http://attacker.example", **token}
        assert request("POST", "/api/paste", evil, body) == 403
    finally:
        running.stop()
        thread.join(10)
