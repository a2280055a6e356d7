"""Sockets in words: a socket is an fd for talking to another program, on this machine
(a Unix socket, named by a path) or over the network (an IPv4/IPv6 address and a port); a
server binds, listens and accepts, a client connects, both send and receive."""

from __future__ import annotations

import ipaddress

from minishell.trace import constants as C
from minishell.trace.explain.words import (
    Call,
    article,
    explains,
    plural,
    readable,
)


@explains("socket")
def _socket(call: Call):
    domain, kind, protocol = call.int(0), call.args[1] & 0xF, call.int(2)
    family = {1: "local (Unix)", 2: "IPv4", 10: "IPv6", 16: "netlink"}.get(
        domain, C.SOCK_FAMILIES.get(domain, ""))
    # SOCK_SEQPACKET (5) keeps message boundaries on a connection; SOCK_RAW (3) sees the
    # packets below the transport layer, so "raw" comes first: "a raw IPv4 socket".
    if kind == 3:
        what = f"raw {family} socket"
    else:
        type_words = {1: "stream", 2: "datagram", 5: "sequenced-packet"}.get(kind, "")
        what = f"{family} {type_words} socket"
    if domain in (2, 10) and (kind, protocol) in ((1, 0), (1, 6), (2, 0), (2, 17)):
        what += " (TCP)" if kind == 1 else " (UDP)"
    what = " ".join(what.split())
    return f"create {article(what)} {what}", f"it gets fd {call.ret}"


@explains("socketpair")
def _socketpair(call: Call):
    fds = call.cap.get("3")
    return "create a pair of connected local sockets", (
        f"fds {fds[0]} and {fds[1]}" if fds else None)


def address_words(call: Call, i: int) -> str:
    """A socket address in words: a path, "127.0.0.1 port 80", or "an address"."""
    captured = call.cap.get(str(i))
    if not captured:
        return "an address"
    data = captured.encode("latin-1")
    family = int.from_bytes(data[:2], "little") if len(data) >= 2 else 0
    if family == 1 and len(data) > 2:
        path = data[2:]
        if path[:1] == b"\0":
            return "the abstract socket @" + readable(path[1:].decode("latin-1"))
        return readable(path.partition(b"\0")[0].decode("latin-1"))
    if family == 2 and len(data) >= 8:
        return ".".join(str(b) for b in data[4:8]) + f" port {int.from_bytes(data[2:4], 'big')}"
    if family == 10 and len(data) >= 24:
        return f"{ipaddress.IPv6Address(data[8:24])} port {int.from_bytes(data[2:4], 'big')}"
    return "an address"


@explains("connect")
def _connect(call: Call):
    return f"connect {call.fd(0)} to {address_words(call, 1)}", None


@explains("bind")
def _bind(call: Call):
    address = address_words(call, 1)
    if address.endswith(" port 0"):      # port 0: "any port" (the kernel picks a free one)
        address = address.removesuffix(" port 0") + ", any free port"
    return f"give {call.fd(0)} the address {address}", None


@explains("listen")
def _listen(call: Call):
    # listen(2): the backlog is the queue of connections made but not yet accepted.
    return (f"listen for connections on {call.fd(0)}, with room for {call.int(1)} waiting "
            "to be accepted"), None


@explains("accept", "accept4")
def _accept(call: Call):
    return f"wait for a connection on {call.fd(0)}", f"the new connection gets fd {call.ret}"


@explains("sendto", "sendmsg", "sendmmsg")
def _send(call: Call):
    if call.name == "sendto":
        return f"send {plural(call.args[2], 'byte')} on {call.fd(0)}", None
    return f"send a message on {call.fd(0)}", None


@explains("recvfrom", "recvmsg", "recvmmsg")
def _recv(call: Call):
    return f"receive on {call.fd(0)}", plural(call.ret or 0, "byte") if call.ok else None


@explains("shutdown")
def _shutdown(call: Call):
    what = {0: "receiving on", 1: "sending on", 2: "sending and receiving on"}.get(
        call.int(1), "sending or receiving on")
    after = " (the other end reads end of file)" if call.int(1) in (1, 2) else ""
    return f"stop {what} {call.fd(0)}{after}", None


@explains("setsockopt", "getsockopt")
def _sockopt(call: Call):
    verb = "set" if call.name == "setsockopt" else "read"
    level, option = call.int(1), call.int(2)
    name = {1: C.SOL_SOCKET_OPTIONS, 6: C.TCP_OPTIONS}.get(level, {}).get(option)
    return f"{verb} the option {name} of {call.fd(0)}" if name else (
        f"{verb} an option of {call.fd(0)}"), None


@explains("getsockname", "getpeername")
def _sockname(call: Call):
    # The address is written at exit into the buffer of argument 1.
    side = "the local address" if call.name == "getsockname" else (
        "the address of the other end")
    found = address_words(call, 1) if call.ok else None
    return f"ask for {side} of {call.fd(0)}", found if found != "an address" else None
