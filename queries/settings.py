"""Settings in one object, read from the environment (and CLI options, which override it).

    PLANGRAPH_STORE        embedded | neo4j                       (default embedded)
    PLANGRAPH_DATABASE     the embedded database file             (default build/plangraph.lbdb)
    NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE       (scripts/neo4j-local env)
    PLANGRAPH_API_URL      where `plangraph serve` answers        (default http://127.0.0.1:8000)

`open_store` turns settings into the store they name, so the CLI and the API open stores one way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from queries.store import BaseStore

DEFAULT_DATABASE = Path("build/plangraph.lbdb")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANGRAPH_", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    database: Path = DEFAULT_DATABASE
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687", validation_alias=AliasChoices("PLANGRAPH_NEO4J_URI", "NEO4J_URI")
    )
    neo4j_user: str = Field(
        "neo4j", validation_alias=AliasChoices("PLANGRAPH_NEO4J_USER", "NEO4J_USER")
    )
    neo4j_password: str = Field(
        "",
        repr=False,
        validation_alias=AliasChoices("PLANGRAPH_NEO4J_PASSWORD", "NEO4J_PASSWORD"),
    )
    neo4j_database: str | None = Field(
        None, validation_alias=AliasChoices("PLANGRAPH_NEO4J_DATABASE", "NEO4J_DATABASE")
    )
    api_url: str = "http://127.0.0.1:8000"

    def require_neo4j_password(self) -> None:
        if not self.neo4j_password:
            raise SettingsError(
                "no Neo4j password: set NEO4J_PASSWORD "
                '(for the local server: eval "$(scripts/neo4j-local env)")'
            )


class SettingsError(ValueError):
    """The settings cannot open a store (a missing password, a missing database file)."""


def open_store(settings: Settings) -> BaseStore:
    """The store the settings name. Neo4j connects lazily (an outage shows on first use)."""
    if settings.store == "neo4j":
        settings.require_neo4j_password()
        from queries.neo4j_store import Neo4jStore

        return Neo4jStore.connect(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            database=settings.neo4j_database,
        )
    from queries.embedded_store import EmbeddedStore

    return EmbeddedStore.open(settings.database)
