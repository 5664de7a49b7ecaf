"""How `plangraph serve` runs uvicorn: uvloop and httptools (installed with the package), no
access log unless asked for."""

from __future__ import annotations

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.app import server_options


async def _app(scope, receive, send):  # pragma: no cover - never called
    return None


def _config(**options) -> uvicorn.Config:
    config = uvicorn.Config(_app, **options)
    config.load()
    return config


def test_serve_uses_uvloop_and_httptools():
    config = _config(**server_options())
    assert config.http_protocol_class is HttpToolsProtocol
    factory = config.get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()


def test_the_access_log_is_off_unless_asked_for():
    assert _config(**server_options()).access_log is False
    assert _config(**server_options(access_log=True)).access_log is True
