"""`casescan review` as it runs in production: the real command in its own process, over HTTP and HTTPS.

The page must be served by a production WSGI server (never Werkzeug's development server), with
HSTS once it is on HTTPS, and `--cert/--key` must keep working.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from config.workspace import Workspace
from tests.support.engines import both_engines

pytestmark = both_engines

LISTENING = re.compile(r"Review page on (https?)://127\.0\.0\.1:(\d+)/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(workspace: Workspace, *extra: str) -> Iterator[tuple[str, int]]:
    """Start `casescan review` on a free port and yield (scheme, port) once it says where it listens."""
    command = [
        sys.executable,
        "-c",
        "from cli.main import main; main()",
        "-w",
        str(workspace.root),
        "review",
        "--port",
        str(_free_port()),
        *extra,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        seen = []
        for line in process.stdout:
            seen.append(line)
            found = LISTENING.search(line)
            if found:
                yield found.group(1), int(found.group(2))
                break
        else:
            pytest.fail("casescan review did not start: " + "".join(seen))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(scheme: str, port: int, path: str) -> http.client.HTTPResponse:
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=10, context=context
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    return connection.getresponse()


def test_the_page_is_served_by_a_production_server_not_werkzeug(workspace: Workspace) -> None:
    with serving(workspace) as (scheme, port):
        response = _get(scheme, port, "/login")
        body = response.read()
        queue = _get(scheme, port, "/")
    assert scheme == "http" and response.status == 200 and b"Sign in" in body
    assert "werkzeug" not in (response.getheader("Server") or "").lower()
    assert response.getheader("Server") == "casescan"
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("Strict-Transport-Security") is None
    assert queue.status == 302 and queue.getheader("Location", "").startswith("/login")


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("openssl could not make a test certificate: " + made.stderr.decode(errors="replace"))
    return cert, key


def test_https_with_cert_and_key_sends_hsts(workspace: Workspace, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    with serving(workspace, "--cert", str(cert), "--key", str(key)) as (scheme, port):
        response = _get(scheme, port, "/login")
        body = response.read()
    assert scheme == "https" and response.status == 200 and b"Sign in" in body
    assert "werkzeug" not in (response.getheader("Server") or "").lower()
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    assert "Secure" in (response.getheader("Set-Cookie") or "Secure")


def test_a_certificate_that_is_not_one_is_a_one_line_error(workspace: Workspace, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("not a certificate")
    key.write_text("not a key")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cli.main import main; main()",
            "-w",
            str(workspace.root),
            "review",
            "--port",
            str(_free_port()),
            "--cert",
            str(cert),
            "--key",
            str(key),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "cannot use" in result.stderr
