"""Which `Host` and `Origin` the dev server answers: the names it listens under, so that
a page on another site cannot read the preview (DNS rebinding: `evil.example` made to
resolve to 127.0.0.1 sends `Host: evil.example:8000`) nor hear its livereload socket.

Allowed, always with the server's port (or without one on port 80):
- the address it listens on, and, when that is a loopback address or `localhost`, also
  `localhost`, `127.0.0.1` and `[::1]`;
- listening on every address (`0.0.0.0`, `::`), also this machine's name (`hostname`,
  `hostname.local`) and any address of this machine, so a phone on the
  same network previews at `http://192.168.1.23:8000/`; an address is this machine's
  when a socket can be bound to it (asked at each request: addresses change when the
  network does);
- each `--allow-host NAME` (a tunnel's or a proxy's name), with any port or none.

A rebinding page always names its own domain, never an address, so an address of this
machine cannot be the attacker's.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from typing import NamedTuple
from urllib.parse import urlsplit

from ..errors import SiteError

_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_NAME = re.compile(r"[a-z0-9]([a-z0-9_.-]*[a-z0-9])?|\[?[0-9a-f:.]+\]?")


class Hosts(NamedTuple):
    """The names a server answers for: `fixed` with its port, `extra` with any port;
    `own_addresses` says whether any address of this machine is allowed too."""

    port: int
    fixed: frozenset[str]
    extra: frozenset[str]
    own_addresses: bool

    def allows(self, host: str) -> bool:
        """Whether a `Host` header value (`name`, `name:port`, `[::1]:port`) is ours."""
        name, port = _split(host)
        if name is None:
            return False
        if name in self.extra:
            return True
        if port != self.port and not (port is None and self.port == 80):
            return False
        return name in self.fixed or (self.own_addresses and _own_address(name))

    def allows_origin(self, origin: str) -> bool:
        """Whether an `Origin` header names a page this server served: http(s) and an
        allowed host (a page's origin is its `Host`)."""
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and self.allows(parts.netloc)

    def refusal(self, host: str) -> str:
        """The plain-text answer to a request for another host."""
        return (f"scholarfolio serve answers only for {', '.join(self.shown())} on port "
                f"{self.port}; this request was for {host[:100]!r}, which could be another site "
                "reading this preview. If it is your own name for this machine, start the "
                "server with --allow-host NAME (for example: scholarfolio serve --allow-host "
                "mybox.lan).\n")

    def shown(self) -> list[str]:
        names = [f"[{n}]" if ":" in n else n for n in sorted(self.fixed | self.extra)]
        return names + (["this machine's addresses"] if self.own_addresses else [])


def allowed_hosts(listen: str, port: int, extra: list[str]) -> Hosts:
    """The hosts a server listening on `listen`:`port` answers for (see the module)."""
    listen = listen.strip("[]").lower()
    fixed = {listen} - _WILDCARDS
    if listen in _LOOPBACK_NAMES or _is_loopback(listen) or listen in _WILDCARDS:
        fixed |= _LOOPBACK_NAMES
    if listen in _WILDCARDS:
        fixed |= _machine_names()
    return Hosts(port, frozenset(fixed), frozenset(check_host_name(n) for n in extra),
                 listen in _WILDCARDS)


def check_host_name(text: str) -> str:
    """An `--allow-host` value as compared: lower case, an IPv6 address without brackets."""
    name = text.strip().lower()
    if not _NAME.fullmatch(name):
        raise SiteError(f"--allow-host: expected a host name such as mybox.lan or an "
                        f"address (no port), found {text!r}")
    return name.strip("[]")


def _split(host: str) -> tuple[str | None, int | None]:
    """`name:port` -> (name, port), lower case, brackets off an IPv6 address; (None, None)
    for what is no host."""
    host = host.strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None, None
        port_text = rest[1:] if rest else None
    else:
        name, colon, port_text = host.partition(":")
        port_text = port_text if colon else None
    if not name:
        return None, None
    if port_text is None:
        return name, None
    return (name, int(port_text)) if port_text.isdigit() and len(port_text) <= 5 else (None, None)


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _machine_names() -> set[str]:
    """This machine's names, as another device on the network may call it."""
    name = socket.gethostname().lower()  # no DNS lookup: start-up stays instant
    return {name, name.partition(".")[0] + ".local"} if name else set()


def _own_address(name: str) -> bool:
    """Whether `name` is an IP address of this machine: one a socket can be bound to."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if address.is_multicast:
        return False
    family = socket.AF_INET if address.version == 4 else socket.AF_INET6
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True
