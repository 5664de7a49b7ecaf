"""Docker cannot run here, so the compose file's structure is checked instead."""

from __future__ import annotations

import yaml

from tests.conftest import PROJECT_ROOT


def load_compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services_and_ports():
    services = load_compose()["services"]
    assert set(services) == {"neo4j", "api"}
    assert (
        services["neo4j"]["image"].startswith("neo4j:5.26")
        and "community" in (services["neo4j"]["image"])
    )
    # Loopback only: nothing is published to the network unless the user opts in.
    assert {"127.0.0.1:7474:7474", "127.0.0.1:7687:7687"} <= set(services["neo4j"]["ports"])
    assert services["api"]["ports"] == ["127.0.0.1:8000:8000"]
    for service in services.values():
        assert all(port.startswith("127.0.0.1:") for port in service.get("ports", []))


def test_neo4j_has_a_healthcheck_and_the_api_waits_for_it():
    services = load_compose()["services"]
    check = services["neo4j"]["healthcheck"]
    assert "RETURN 1" in " ".join(check["test"])
    assert services["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_credentials_come_from_an_env_file_not_the_compose_file():
    compose = load_compose()
    for service in compose["services"].values():
        assert service["env_file"] == ".env"
    assert "${NEO4J_PASSWORD" in compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert (PROJECT_ROOT / ".env.example").exists()
    ignored = (PROJECT_ROOT / ".gitignore").read_text().split()
    assert ".env" in ignored


def test_browser_settings_and_named_volumes():
    compose = load_compose()
    env = compose["services"]["neo4j"]["environment"]
    assert "localhost" in env["NEO4J_browser_remote__content__hostname__whitelist"]
    assert env["NEO4J_browser_post__connect__cmd"].startswith("play http")
    assert set(compose["volumes"]) >= {"neo4j-data", "neo4j-logs"}
    volumes = compose["services"]["neo4j"]["volumes"]
    assert any(v.startswith("neo4j-data:") for v in volumes)


def test_api_is_built_here_and_uses_the_neo4j_store():
    api = load_compose()["services"]["api"]
    assert api["build"] == "."
    assert (PROJECT_ROOT / "Dockerfile").exists()
    assert "--store neo4j" in api["command"]


def _command_strings(value) -> list[str]:
    """A healthcheck test or a command, as the strings that end up on some process's argv."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [" ".join(str(part) for part in value)]


def test_no_password_on_any_command_line():
    # Whatever runs in a container shows its argv to `ps`: the password must come from the
    # environment (cypher-shell reads NEO4J_PASSWORD; plangraph reads it through its settings).
    services = load_compose()["services"]
    commands = []
    for service in services.values():
        commands += _command_strings(service.get("healthcheck", {}).get("test"))
        commands += _command_strings(service.get("command"))
        commands += _command_strings(service.get("entrypoint"))
    assert len(commands) >= 2  # the neo4j healthcheck and the api command, at least
    for command in commands:
        for secret_flag in ("-p ", "--password", "NEO4J_PASSWORD", "NEO4J_AUTH"):
            assert secret_flag not in command, f"{secret_flag!r} on a command line: {command}"


def test_the_healthcheck_gets_its_password_from_the_environment():
    neo4j = load_compose()["services"]["neo4j"]
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    env = neo4j["environment"]
    assert env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")
    assert env["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD")
