"""Settings in one object: read from the environment, overridden by options, opening stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from queries.settings import DEFAULT_DATABASE, Settings, SettingsError, open_store


def test_defaults_without_environment(monkeypatch):
    for name in ("PLANGRAPH_STORE", "PLANGRAPH_DATABASE", "PLANGRAPH_API_URL", "NEO4J_URI"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.store == "embedded"
    assert settings.database == DEFAULT_DATABASE
    assert settings.neo4j_uri.startswith("bolt://")
    assert settings.api_url == "http://127.0.0.1:8000"


def test_environment_then_options(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANGRAPH_STORE", "neo4j")
    monkeypatch.setenv("PLANGRAPH_DATABASE", str(tmp_path / "x.lbdb"))
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7688")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    monkeypatch.setenv("PLANGRAPH_API_URL", "http://api.example:9000")
    settings = Settings()
    assert settings.store == "neo4j" and settings.database == tmp_path / "x.lbdb"
    assert settings.neo4j_uri == "bolt://db.example:7688"
    assert settings.api_url == "http://api.example:9000"
    assert "secret" not in repr(settings)
    assert Settings(store="embedded", database=Path("y.lbdb")).database == Path("y.lbdb")


def test_a_bad_store_name_is_refused(monkeypatch):
    monkeypatch.setenv("PLANGRAPH_STORE", "sqlite")
    with pytest.raises(ValueError, match="store"):
        Settings()


def test_neo4j_without_a_password_says_how_to_get_one(monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("PLANGRAPH_NEO4J_PASSWORD", raising=False)
    with pytest.raises(SettingsError, match="NEO4J_PASSWORD"):
        open_store(Settings(store="neo4j"))


def test_the_embedded_store_opens_the_database_the_settings_name(bundled_graph, tmp_path):
    from schema.embedded_db import write_database

    path = write_database(bundled_graph, tmp_path / "g.lbdb")
    store = open_store(Settings(store="embedded", database=path))
    try:
        assert store.kind == "embedded" and store.counts()["tasks"] == 43
    finally:
        store.close()
