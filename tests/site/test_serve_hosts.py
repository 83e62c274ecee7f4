"""`scholarfolio serve` answers only for its own hosts, over real sockets: a request naming
another host (what a DNS-rebinding page sends) is refused, the livereload socket is taken
only from the server's own pages, and a malformed socket message leaves no traceback."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import struct
import subprocess
import sys

import pytest
from test_serve import Server, demo_copy  # noqa: F401 (the fixture)

from generator.dev.hosts import allowed_hosts


def get(port: int, host: str, path: str = "/") -> tuple[int, str, bytes]:
    """GET `path` with the `Host` header `host` (sent as given): status, type, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


class Socket:
    """A websocket client over a plain socket: the upgrade request with the headers given,
    then text frames out and the server's frames in."""

    def __init__(self, port: int, host: str, origin: str | None):
        self.connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET /livereload HTTP/1.1", f"Host: {host}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        if origin is not None:
            lines.append(f"Origin: {origin}")
        self.connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.reader = self.connection.makefile("rb")
        self.status = int(self.reader.readline().split()[1])
        while self.reader.readline() not in (b"\r\n", b""):
            pass  # the response's headers

    def send(self, payload: bytes, opcode: int = 0x1) -> None:
        mask = os.urandom(4)
        size = len(payload)
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | size) if size < 126 else \
            struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.connection.sendall(head + mask + masked)

    def receive(self) -> dict:
        first, second = self.reader.read(2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", self.reader.read(2))[0]
        return json.loads(self.reader.read(size))

    def close(self) -> None:
        self.reader.close()
        self.connection.close()


HELLO = json.dumps({"command": "hello",
                    "protocols": ["http://livereload.com/protocols/official-7"]}).encode()


@pytest.fixture
def server(demo_copy):  # noqa: F811 (the fixture imported above)
    running = Server(demo_copy)
    yield running
    running.stop()


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "localhost:1",
                                  "127.0.0.1.evil.example:{port}", "[::1]:{port}0", ""])
def test_a_request_for_another_host_is_refused_with_a_plain_explanation(server, host):
    status, kind, body = get(server.port, host.format(port=server.port))
    assert status == 403
    assert kind == "text/plain; charset=utf-8"
    assert b"--allow-host" in body and b"<" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}",
                                  "[::1]:{port}"])
def test_the_loopback_names_with_the_port_are_served(server, host):
    status, kind, body = get(server.port, host.format(port=server.port))
    assert status == 200 and kind.startswith("text/html") and b"</html>" in body
    assert get(server.port, host.format(port=server.port), "/livereload.js")[0] == 200


def test_a_foreign_host_gets_no_livereload_script_or_socket(server):
    host = f"evil.example:{server.port}"
    assert get(server.port, host, "/livereload.js")[0] == 403
    client = Socket(server.port, host, f"http://{host}")
    assert client.status == 403
    client.close()


def test_allow_host_adds_a_name_with_any_port(demo_copy):  # noqa: F811
    running = Server(demo_copy, "--allow-host", "Preview.Example", "--allow-host", "mybox.lan")
    try:
        assert get(running.port, f"preview.example:{running.port}")[0] == 200
        assert get(running.port, "preview.example")[0] == 200  # behind a tunnel or proxy
        assert get(running.port, f"mybox.lan:{running.port}")[0] == 200
        assert get(running.port, f"other.example:{running.port}")[0] == 403
        client = Socket(running.port, "preview.example", "https://preview.example")
        assert client.status == 101
        client.close()
    finally:
        assert running.stop() == 0


def test_a_bad_allow_host_is_an_error_not_a_traceback(demo_copy):  # noqa: F811
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "-C", str(demo_copy),
                             "-p", "1", "--allow-host", "http://x/"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "--allow-host: expected a host name" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("origin", ["http://evil.example", "http://evil.example:{port}",
                                    "http://localhost:1", "null", "file://"])
def test_the_reload_socket_refuses_a_page_from_another_origin(server, origin):
    client = Socket(server.port, f"127.0.0.1:{server.port}", origin.format(port=server.port))
    assert client.status == 403
    client.close()


@pytest.mark.parametrize("origin", ["http://127.0.0.1:{port}", "http://localhost:{port}", None])
def test_the_reload_socket_takes_the_servers_own_pages_and_clients_without_origin(server,
                                                                                  origin):
    client = Socket(server.port, f"127.0.0.1:{server.port}",
                    origin and origin.format(port=server.port))
    try:
        assert client.status == 101
        client.send(HELLO)
        assert client.receive()["command"] == "hello"
    finally:
        client.close()


def test_malformed_socket_messages_are_ignored_without_a_traceback(server):
    client = Socket(server.port, f"127.0.0.1:{server.port}", f"http://127.0.0.1:{server.port}")
    try:
        assert client.status == 101
        for junk in (b"not json", b"[1, 2]", b'"hello"', b"{}", b'{"command": 3}',
                     b"[" * 5000, b"\xff\xfe"):
            client.send(junk, opcode=0x2 if junk == b"\xff\xfe" else 0x1)
        client.send(HELLO)  # still connected, still answering
        assert client.receive()["command"] == "hello"
    finally:
        client.close()
    assert server.stop() == 0
    assert not any("Traceback" in line or "Error" in line for line in server.lines), \
        server.lines


def test_listening_on_every_address_allows_this_machines_names_and_addresses():
    hosts = allowed_hosts("0.0.0.0", 8000, [])
    assert hosts.allows("localhost:8000") and hosts.allows("127.0.0.1:8000")
    assert hosts.allows(f"{socket.gethostname()}:8000")
    assert not hosts.allows("evil.example:8000") and not hosts.allows("8.8.8.8:8000")
    assert not allowed_hosts("127.0.0.1", 8000, []).allows(f"{socket.gethostname()}:8000")
    assert allowed_hosts("127.0.0.1", 80, []).allows("localhost")


def test_on_every_address_the_machines_name_is_served_and_others_refused(demo_copy):  # noqa: F811
    running = Server(demo_copy, "--host", "0.0.0.0")
    try:
        assert get(running.port, f"{socket.gethostname()}:{running.port}")[0] == 200
        assert get(running.port, f"localhost:{running.port}")[0] == 200
        assert get(running.port, f"evil.example:{running.port}")[0] == 403
        assert get(running.port, f"203.0.113.77:{running.port}")[0] == 403  # not this machine's
    finally:
        assert running.stop() == 0
