"""One notion of "loopback", shared by the client (`ims`) and the contract suite.

A loopback host is one whose traffic never leaves the machine: the whole IPv4 block 127.0.0.0/8
in any spelling the resolver accepts (`127.0.0.3`, `127.1`, `0x7f.1`, `2130706433`), IPv6 `::1`
(also as `::ffff:127.0.0.1`), and the name `localhost`, with or without the trailing dot of a fully
qualified name, in any case. Such a host is never reached through a proxy from the environment:
credentials sent to a local mock must not travel to a proxy elsewhere.
"""

from __future__ import annotations

import ipaddress
import re
import socket

# What inet_aton accepts: one to four parts, each decimal, octal (leading 0) or hex (0x).
_IPV4_ANY_FORM = re.compile(r"(?i)(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}")


def is_loopback_host(host: str | None) -> bool:
    """Whether `host` (a URL's host, brackets of an IPv6 literal allowed) is this machine's loopback."""
    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name.rstrip(".") == "localhost" and name.count(".") <= 1:
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        if not _IPV4_ANY_FORM.fullmatch(name):
            return False
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback
