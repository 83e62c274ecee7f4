"""The dev server's hostile case (tests/hostile_cases.py): `scholarfolio serve` on a copy
of the demo, asked by another host (DNS rebinding), for files outside the site by `..`
and its encodings, for the livereload socket from a foreign page, and sent malformed
socket messages. tests/site/test_serve_hosts.py pins each answer; this runs them as one
case of scripts/hostile, with the canaries of the other cases."""

from __future__ import annotations

import base64
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRAVERSALS = ["/../outside/secret.txt", "/%2e%2e/outside/secret.txt",
              "/..%2f..%2foutside%2fsecret.txt", "//etc/passwd", "/proc/self/environ",
              "/assets/../../outside/secret.txt"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(port: int, lines: list[str], payload: bytes = b"") -> tuple[int, bytes]:
    """Send a request of `lines` (then `payload`, on an upgraded socket); the status and
    whatever the server answers within a second."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        if payload:
            connection.sendall(payload)
        connection.settimeout(1)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:  # the timeout: an open socket sends no more
            pass
    status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/") else b"0"
    return int(status), answer


def get(port: int, path: str, host: str) -> tuple[int, bytes]:
    return ask(port, [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"])


def upgrade(path: str, host: str, origin: str) -> list[str]:
    key = base64.b64encode(os.urandom(16)).decode()
    return [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket",
            "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
            f"Origin: {origin}"]


def frame(payload: bytes, opcode: int = 0x1) -> bytes:
    mask = os.urandom(4)
    return (struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload)) + mask
            + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def probe(site: Path, env: dict[str, str], canaries: tuple[str, ...]
          ) -> tuple[int, str, float, float, list[str]]:
    """Run the server on `site`: exit code, its output, seconds until it answered, peak
    MB, and what failed."""
    port = free_port()
    own = f"127.0.0.1:{port}"
    failures: list[str] = []
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-C", str(site),
                                   "-p", str(port)], env=env, stdout=out, stderr=out)
        seconds = 0.0
        try:
            while time.perf_counter() - start < 30:
                try:
                    if get(port, "/", own)[0] == 200:
                        seconds = time.perf_counter() - start
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                failures.append("the server did not answer within 30 s")
            if not failures:
                for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
                    status = get(port, "/", host)[0]
                    if status != 403:
                        failures.append(f"Host: {host} answered {status}, expected 403")
                for path in TRAVERSALS:
                    status, body = get(port, path, own)
                    if any(text.encode() in body for text in canaries) or b"root:x:0" in body:
                        failures.append(f"{path} ({status}) served a file outside the site")
                status = ask(port, upgrade("/livereload", own, "http://evil.example"))[0]
                if status == 101:
                    failures.append("the livereload socket opened from a foreign Origin")
                status = ask(port, upgrade("/livereload", own, f"http://{own}"),
                             frame(b"{not json") + frame(b"\xff\xfe", 0x2)
                             + frame(b'{"command": 7}'))[0]
                if status != 101:
                    failures.append(f"the livereload socket from its own page: {status}")
                if get(port, "/", own)[0] != 200:
                    failures.append("the server stopped answering after malformed messages")
        finally:
            server.send_signal(signal.SIGINT)
            stop = time.perf_counter() + 10
            while not (reaped := os.wait4(server.pid, os.WNOHANG))[0]:
                if time.perf_counter() > stop:
                    server.kill()
                time.sleep(0.05)
        _, status, usage = reaped
        server.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return server.returncode, output, seconds, usage.ru_maxrss / 1024, failures
