#!/usr/bin/env python3
"""Minimal Bolt readiness probe for scripts/neo4j-local (standard library only).

Runs ``RETURN 1`` over Bolt (protocol 5.0, falling back to 4.4) with basic
auth, so it works with nothing but the system python3 -- before any virtualenv
or driver exists.  The password is read from the NEO4J_PASSWORD environment
variable, never from argv (argv is visible to every user via ps).

Usage: boltcheck.py HOST PORT [USER]

Exit codes: 0 the query returned 1; 2 authentication was refused (final,
retrying will not help); 1 anything else (not listening yet, database still
starting, ...), worth retrying.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import sys

MAGIC = b"\x60\x60\xb0\x17"
# Each proposal is [reserved, range, minor, major]; unused slots are zero.
PROPOSALS = b"\x00\x00\x00\x05" + b"\x00\x00\x04\x04" + b"\x00" * 8

HELLO, RUN, PULL, GOODBYE = 0x01, 0x10, 0x3F, 0x02
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F


class AuthError(Exception):
    pass


# --- PackStream (only what this probe needs) ---------------------------------


def _pack(value) -> bytes:
    if value is None:
        return b"\xc0"
    if value is True:
        return b"\xc3"
    if value is False:
        return b"\xc2"
    if isinstance(value, int):
        if -16 <= value < 128:
            return struct.pack(">b", value)
        if -(2**31) <= value < 2**31:
            return b"\xca" + struct.pack(">i", value)
        return b"\xcb" + struct.pack(">q", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        n = len(data)
        if n < 16:
            return bytes([0x80 | n]) + data
        if n < 256:
            return b"\xd0" + bytes([n]) + data
        return b"\xd1" + struct.pack(">H", n) + data
    if isinstance(value, dict):
        n = len(value)
        head = bytes([0xA0 | n]) if n < 16 else b"\xd8" + bytes([n])
        return head + b"".join(_pack(k) + _pack(v) for k, v in value.items())
    if isinstance(value, list):
        n = len(value)
        head = bytes([0x90 | n]) if n < 16 else b"\xd4" + bytes([n])
        return head + b"".join(_pack(v) for v in value)
    raise TypeError(f"cannot pack {type(value).__name__}")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        if len(chunk) != n:
            raise ValueError("truncated PackStream value")
        self.pos += n
        return chunk

    def _sized(self, marker: int, tiny_base: int, sizes: dict[int, str]) -> int:
        if tiny_base <= marker <= tiny_base + 0x0F:
            return marker - tiny_base
        fmt = sizes[marker]
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def value(self):
        m = self.take(1)[0]
        if m < 0x80:
            return m
        if m >= 0xF0:
            return m - 0x100
        if m == 0xC0:
            return None
        if m in (0xC2, 0xC3):
            return m == 0xC3
        if m == 0xC1:
            return struct.unpack(">d", self.take(8))[0]
        ints = {0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
        if m in ints:
            fmt = ints[m]
            return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
        if 0x80 <= m <= 0x8F or m in (0xD0, 0xD1, 0xD2):
            n = self._sized(m, 0x80, {0xD0: ">B", 0xD1: ">H", 0xD2: ">I"})
            return self.take(n).decode("utf-8")
        if 0x90 <= m <= 0x9F or m in (0xD4, 0xD5, 0xD6):
            n = self._sized(m, 0x90, {0xD4: ">B", 0xD5: ">H", 0xD6: ">I"})
            return [self.value() for _ in range(n)]
        if 0xA0 <= m <= 0xAF or m in (0xD8, 0xD9, 0xDA):
            n = self._sized(m, 0xA0, {0xD8: ">B", 0xD9: ">H", 0xDA: ">I"})
            return {self.value(): self.value() for _ in range(n)}
        if 0xB0 <= m <= 0xBF:
            n = m - 0xB0
            tag = self.take(1)[0]
            return (tag, [self.value() for _ in range(n)])
        if m in (0xCC, 0xCD, 0xCE):
            n = self._sized(m, 0x100, {0xCC: ">B", 0xCD: ">H", 0xCE: ">I"})
            return self.take(n)
        raise ValueError(f"unknown PackStream marker 0x{m:02x}")


# --- Bolt messaging ----------------------------------------------------------


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        part = sock.recv(n - len(buf))
        if not part:
            raise ConnectionError("server closed the connection")
        buf += part
    return buf


def _send(sock: socket.socket, tag: int, *fields) -> None:
    body = bytes([0xB0 | len(fields), tag]) + b"".join(_pack(f) for f in fields)
    out = b""
    for i in range(0, len(body), 0xFFFF):
        chunk = body[i : i + 0xFFFF]
        out += struct.pack(">H", len(chunk)) + chunk
    sock.sendall(out + b"\x00\x00")


def _recv(sock: socket.socket):
    body = b""
    while True:
        (size,) = struct.unpack(">H", _recv_exact(sock, 2))
        if size == 0:
            if body:
                break
            continue  # NOOP keep-alive chunk
        body += _recv_exact(sock, size)
    tag, fields = _Reader(body).value()
    return tag, fields


def _expect_success(sock: socket.socket, what: str) -> dict:
    tag, fields = _recv(sock)
    if tag == SUCCESS:
        return fields[0] if fields else {}
    if tag == FAILURE:
        meta = fields[0] if fields else {}
        code = meta.get("code", "?")
        msg = meta.get("message", "")
        if "Security" in code and ("Unauthorized" in code or "AuthenticationRateLimit" in code):
            raise AuthError(f"{code}: {msg}")
        raise RuntimeError(f"{what} failed: {code}: {msg}")
    raise RuntimeError(f"{what}: unexpected response 0x{tag:02x}")


def run_return_one(host: str, port: int, user: str, password: str, timeout: float = 5.0) -> int:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(MAGIC + PROPOSALS)
        version = _recv_exact(sock, 4)
        if version == b"\x00\x00\x00\x00":
            raise RuntimeError("server supports none of the proposed Bolt versions (5.0, 4.4)")
        _send(
            sock,
            HELLO,
            {
                "user_agent": "plangraph-neo4j-local/1",
                "scheme": "basic",
                "principal": user,
                "credentials": password,
            },
        )
        _expect_success(sock, "HELLO")
        _send(sock, RUN, "RETURN 1 AS n", {}, {})
        _expect_success(sock, "RUN")
        _send(sock, PULL, {"n": -1})
        values = []
        while True:
            tag, fields = _recv(sock)
            if tag == RECORD:
                values.append(fields[0])
                continue
            if tag == SUCCESS:
                break
            if tag == FAILURE:
                meta = fields[0] if fields else {}
                raise RuntimeError(f"PULL failed: {meta.get('code')}: {meta.get('message')}")
            raise RuntimeError(f"PULL: unexpected response 0x{tag:02x}")
        with contextlib.suppress(OSError):
            _send(sock, GOODBYE)
        if values != [[1]]:
            raise RuntimeError(f"RETURN 1 gave {values!r}")
        return 1


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 64
    host, port = argv[1], int(argv[2])
    user = argv[3] if len(argv) == 4 else "neo4j"
    password = os.environ.get("NEO4J_PASSWORD", "")
    try:
        run_return_one(host, port, user, password)
    except AuthError as exc:
        print(f"authentication refused: {exc}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"not ready: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
