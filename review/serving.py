"""The production servers behind `casescan review`: waitress for HTTP, cheroot for HTTPS.

Both are pure Python, threaded (several leads at once) and run on Linux and on the Windows servers
many dioceses have. Waitress has no TLS of its own, so `--cert/--key` is served by cheroot, whose
built-in adapter uses Python's ssl module with the certificate and key given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from waitress.server import create_server  # type: ignore[import-untyped]  # typeshed's stubs are not a dependency

THREADS = 8
SERVER_NAME = "casescan"


@dataclass(frozen=True)
class ReviewServer:
    """One listening server, whichever it is: the port it got, how to run it and how to stop it."""

    port: int
    scheme: str
    serve_forever: Callable[[], None]
    server_close: Callable[[], None]


def _waitress(host: str, port: int, app: Any, threads: int) -> ReviewServer:
    server = create_server(
        app, host=host, port=port, threads=threads, ident=SERVER_NAME, clear_untrusted_proxy_headers=True
    )
    # Waitress names the address it serves on at INFO; casescan says it itself.
    logging.getLogger("waitress").setLevel(logging.WARNING)
    return ReviewServer(
        port=int(server.effective_port), scheme="http", serve_forever=server.run, server_close=server.close
    )


def _cheroot(host: str, port: int, app: Any, threads: int, cert: Path, key: Path) -> ReviewServer:
    server = wsgi.Server((host, port), app, numthreads=threads, server_name=SERVER_NAME)
    server.ssl_adapter = BuiltinSSLAdapter(str(cert), str(key))
    server.prepare()
    return ReviewServer(
        port=int(server.bind_addr[1]), scheme="https", serve_forever=server.serve, server_close=server.stop
    )


def make_server(
    host: str, port: int, app: Any, *, cert: Path | None = None, key: Path | None = None, threads: int = THREADS
) -> ReviewServer:
    """Bind now (an address in use raises OSError here, before anything is printed), serve later."""
    if cert is not None and key is not None:
        return _cheroot(host, port, app, threads, cert, key)
    return _waitress(host, port, app, threads)
