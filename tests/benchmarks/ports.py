"""Free ports for the benchmark servers the tests start."""

from __future__ import annotations

import socket

import pytest


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_run_of_ports(first: int, last: int, count: int) -> int:
    """The first port of `count` consecutive free ports in first..last."""
    for start in range(first, last - count + 2):
        if all(_free(port) for port in range(start, start + count)):
            return start
    pytest.fail(f"no {count} free consecutive ports in {first}-{last}")
