"""The grader's end of the cable: Ethernet frames into the VM's e1000, from the host.

QEMU's `-netdev socket,udp=127.0.0.1:A,localaddr=127.0.0.1:B` connects the emulated NIC to
a UDP socket: every frame the guest transmits arrives at our port A as one datagram, and
every datagram we send to port B appears at the NIC as one received frame -- any frame we
build, byte for byte. Only the loopback interface is used.

The tester inside the VM drives: it broadcasts a request ("run R: N frames"), and we send
them, never more than WINDOW ahead of its acknowledgements. The window is what makes
"every frame arrives once" a fair check: UDP on loopback drops datagrams when QEMU's socket
buffer is full (QEMU stops reading while the guest's rx ring is full), so a sender that
blasts would lose frames that no kernel could have received.

Frame recipe (the same in tester.c): Ethernet header (to the guest, from HOST_MAC, type
0x88B5), then little-endian "FNDT", run, seq, then bytes from xorshift32 seeded by
(seed, run, seq); the first draw picks the length (60..1514) unless the run fixes it.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass

ETHERTYPE = 0x88B5
HOST_MAC = bytes.fromhex("525400fa5701")
GUEST_MAC = "52:54:00:12:34:56"
MAGIC_REQUEST, MAGIC_ACK, MAGIC_DATA = 0x464E5251, 0x464E414B, 0x464E4454
KIND_FRAMES, KIND_UDP = 1, 2
WINDOW = 32  # frames in flight: 32 x ~4 KB of socket memory each < QEMU's 208 KB buffer
GUEST_IP, HOST_IP = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])
UDP_PORT = 5555
MASK = 0xFFFFFFFF


def _xorshift(x: int) -> int:
    x ^= (x << 13) & MASK
    x ^= x >> 17
    x ^= (x << 5) & MASK
    return x


def data_frame(dst: bytes, seed: int, run: int, seq: int, size: int = 0) -> bytes:
    """Frame `seq` of run `run`, as tester.c's frame_len()/frame_mismatch() expect it."""
    x = (seed ^ (run * 0x9E3779B1) ^ (seq * 0x85EBCA77)) & MASK or 1
    if not size:
        x = _xorshift(x)
        size = 60 + x % 1455
    head = dst + HOST_MAC + struct.pack("!H", ETHERTYPE) + struct.pack("<III", MAGIC_DATA,
                                                                       run, seq)
    words = []
    for _ in range((size - len(head) + 3) // 4):
        x = _xorshift(x)
        words.append(x)
    body = struct.pack(f"<{len(words)}I", *words)
    return (head + body)[:size]


def _checksum(header: bytes) -> int:
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_frame(dst: bytes, run: int, seq: int) -> bytes:
    """An IPv4/UDP datagram to the guest's port 5555, for its normal network stack."""
    payload = f"fastnet udp run={run} seq={seq}".encode()
    udp = struct.pack("!HHHH", UDP_PORT, UDP_PORT, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq, 0, 64, 17, 0, HOST_IP,
                     GUEST_IP)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    frame = dst + HOST_MAC + b"\x08\x00" + ip + udp
    return frame + bytes(max(0, 60 - len(frame)))


@dataclass
class Run:
    id: int
    kind: int
    count: int
    size: int
    guest: bytes  # the requester's MAC
    sent: int = 0
    acked: int = 0


class Host(threading.Thread):
    """Serves the tester's requests until stop(); `port` is where QEMU must send to."""

    def __init__(self, seed: int) -> None:
        super().__init__(daemon=True, name="fastnet-host")
        self.seed = seed
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.qemu_port = _free_udp_port()
        self.runs: list[Run] = []  # every request seen, for the report
        self._stopping = threading.Event()

    def netdev_args(self) -> list[str]:
        # romfile=: no iPXE option ROM, which costs seconds of boot under TCG.
        return ["-netdev", f"socket,id=n0,udp=127.0.0.1:{self.port},"
                           f"localaddr=127.0.0.1:{self.qemu_port}",
                "-device", f"e1000,netdev=n0,mac={GUEST_MAC},romfile="]

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)
        self.sock.close()

    def run(self) -> None:
        current: Run | None = None
        while not self._stopping.is_set():
            try:
                frame = self.sock.recv(2048)
            except (TimeoutError, BlockingIOError):
                frame = b""
            except OSError:
                return
            current = self._handle(frame, current)
            if current:
                self._send(current)

    def _handle(self, frame: bytes, current: Run | None) -> Run | None:
        if len(frame) < 34 or struct.unpack("!H", frame[12:14])[0] != ETHERTYPE:
            return current
        magic, a, b, c, d = struct.unpack("<5I", frame[14:34])
        if magic == MAGIC_REQUEST and not (current and current.id == a):
            # (the tester repeats a request that brought nothing: serve it only once)
            current = Run(id=a, kind=b, count=c, size=d, guest=frame[6:12])
            self.runs.append(current)
        elif magic == MAGIC_ACK and current and a == current.id:
            current.acked = max(current.acked, b)
        return current

    def _send(self, run: Run) -> None:
        # Small frames take less socket memory: a longer window, so that a rate run
        # measures the guest's receive path more than our round trips.
        window = WINDOW * 4 if 0 < run.size <= 128 else WINDOW
        while run.sent < run.count and run.sent - run.acked < window:
            if run.kind == KIND_UDP:
                frame = udp_frame(run.guest, run.id, run.sent)
            else:
                frame = data_frame(run.guest, self.seed, run.id, run.sent, run.size)
            try:
                self.sock.sendto(frame, ("127.0.0.1", self.qemu_port))
            except OSError:
                return  # QEMU is gone
            run.sent += 1


def _free_udp_port() -> int:
    """A loopback UDP port nobody uses now, for QEMU to bind (it cannot tell us its own)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
