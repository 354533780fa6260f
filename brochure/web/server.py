"""Running the page: an app and an address in, a waitress server until Ctrl+C.

Waitress is the production WSGI server Flask's documentation recommends; it is pure
Python (it runs on a front-desk Windows PC as on Linux) and writes no access log, so a
request never leaves a trace of what was asked for.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Threads enough that a room of counselors (8, each with a preview and a download or a
# font in flight, plus previews being superseded) never waits in waitress's queue, which
# it reports with a "Task queue depth" warning; building is serialised inside anyway.
THREADS = 32
# Waitress keeps a request body up to `inbuf_overflow` and a response up to
# `outbuf_overflow` in memory and spills the rest to a temporary file. A body larger than
# the page's limit is refused (413) from its Content-Length or, when chunked, as soon as
# it grows past it, before any spill; responses (PDFs and previews, which show the name)
# stay in memory: they are far below this.
MEMORY_ONLY = 64 * 1024 * 1024
MAX_WORKERS = 4  # build processes: one per core, up to this many (each holds ~150 MB)


def is_loopback(host: str) -> bool:
    """Whether *host* (a name or address) is this computer only."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    """The address to open in a browser for a server on *host*:*port*."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def make_server(app: object, host: str, port: int) -> object:
    """A waitress server for *app* with the page's limits (see `THREADS`, `MEMORY_ONLY`);
    ``run()`` serves until ``close()``."""
    from waitress import create_server

    from .app import MAX_REQUEST_BYTES

    return create_server(app, host=host, port=port, threads=THREADS, ident="brochure",
                         max_request_body_size=MAX_REQUEST_BYTES + 1,
                         inbuf_overflow=MEMORY_ONLY, outbuf_overflow=MEMORY_ONLY,
                         outbuf_high_watermark=MEMORY_ONLY * 2)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(host: str = "127.0.0.1", port: int = 8000, content_dir: Path | None = None,
          clinic_files: tuple[Path, ...] | list[Path] = (),
          echo: Callable[[str], None] = print, warm: bool = True) -> None:
    """Serve the counselor page on *host*:*port* (0: a free port) until interrupted.

    Prints the address (and whether other computers can reach it) through *echo* once
    the socket listens. With *warm*, one edition per language is built in the background
    so the first real request is as fast as the later ones.
    """
    from .app import create_app
    from .editions import Editions

    loopback = is_loopback(host)
    trusted = list(LOOPBACK_NAMES) if loopback else None
    app = create_app(content_dir, clinic_files, trusted_hosts=trusted,
                     workers=min(os.cpu_count() or 1, MAX_WORKERS))
    bind = "127.0.0.1" if host == "localhost" else host  # one socket, one port
    server = make_server(app, bind, port)
    # A name that resolves to several addresses gets a socket each (and, with port 0,
    # a port each): the first is the one announced.
    listen = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)]  # type: ignore[union-attr]
    url = url_of(host, int(listen[0][1]))
    echo(f"Serving the counselor page at {url}")
    if loopback:
        echo("Listening on loopback: only this computer can open it.")
    else:
        echo(f"Listening on {host}: other computers on the network can open it, and it "
             "has no login. Use --host 127.0.0.1 to keep it on this computer.")
    echo("Names and notes typed on the page are never stored. Press Ctrl+C to stop.")
    if threading.current_thread() is threading.main_thread():
        # A service manager's stop (SIGTERM) ends the server as Ctrl+C does, so the
        # worker processes are stopped with it.
        signal.signal(signal.SIGTERM, _interrupt)
    if warm:
        editions: Editions = app.extensions["brochure"]
        threading.Thread(target=editions.warm, name="brochure-warm", daemon=True).start()
    try:
        server.run()  # returns on Ctrl+C
    finally:
        server.close()
        app.extensions["brochure"].close()
    echo("Stopped.")
