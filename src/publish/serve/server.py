"""Run the page's server: bind the address, make the token, start uvicorn, open the browser.

uvicorn (without its optional C extras: h11 only, so it installs everywhere Python does) is the maintained
ASGI server Starlette is built to run on. The socket is bound here, before uvicorn starts, so that port 0
(any free port, used by the tests) gives its real number for the address and the Host check.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn

from publish.serve.app import create_app
from publish.serve.session import Session

LOOPBACK = "127.0.0.1"


@dataclass
class Running:
    """A bound, not yet serving server: its address (with the token) and the uvicorn server to run."""

    url: str
    token: str
    server: uvicorn.Server
    sock: socket.socket

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C) or ``stop`` is called."""
        self.server.run(sockets=[self.sock])

    def start_thread(self) -> threading.Thread:
        """Serve in a background thread (tests); return it once the server accepts requests."""
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        while not self.server.started and thread.is_alive():
            thread.join(0.02)
        return thread

    def stop(self) -> None:
        """Ask the server to finish its requests and stop."""
        self.server.should_exit = True


def prepare(session: Session, host: str = LOOPBACK, port: int = 0, **limits: int) -> Running:
    """Bind ``host``:``port`` (0: any free port) and return the server for ``session``, not yet serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    sock.set_inheritable(True)
    real_port = sock.getsockname()[1]
    name = f"[{host}]" if family == socket.AF_INET6 else host
    hosts = {f"{name}:{real_port}"}
    if is_loopback(host):
        hosts |= {f"127.0.0.1:{real_port}", f"localhost:{real_port}"}
    token = secrets.token_urlsafe(24)
    app = create_app(session, token, sorted(hosts), **limits)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, server_header=False)
    return Running(f"http://{name}:{real_port}/?token={token}", token, uvicorn.Server(config), sock)


def is_loopback(host: str) -> bool:
    """Return whether ``host`` is a loopback address (only this machine can reach it)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_browser(url: str, opener: Callable[[str], object] = webbrowser.open) -> None:
    """Open ``url`` in the default browser; a machine without one simply shows nothing."""
    threading.Thread(target=opener, args=(url,), daemon=True).start()
