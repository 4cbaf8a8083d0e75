"""deploy/compose.yaml, read (Docker is not available here to run it): the services it needs, web and
worker built from this repository, every variable they get a real setting, no secret in the file.

Each check is a function that raises AssertionError; the last test breaks a copy of the file in
one way per check and expects that check to fail, so none of them passes whatever the file says.
"""
import copy
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from services.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"

SETTINGS = {name.upper() for name in Settings.model_fields}
# Variables web or worker may get that are not Settings fields, each with the file that reads it
# (checked below, so the list cannot outlive its reason).
NOT_SETTINGS = {
    "PORT": "astrobookings/dev/launcher.py",               # the port the web server listens on
    "WEB_WORKERS": "astrobookings/dev/launcher.py",        # granian workers per web process
    "REFLEX_REDIS_URL": "rxconfig.py",                     # Reflex page state in Redis, shared by every web process
    "REUSE_BUILD": "astrobookings/dev/serve.py",           # serve the frontend built into the image
}
REQUIRED = ("DATABASE_URL", "MONGODB_URL", "REDIS_URL", "SMTP_URL", "JWT_SECRET", "PUBLIC_BASE_URL")
# Which service each store URL must name, and the image that service runs.
URL_SERVICES = {"DATABASE_URL": ("postgres", "postgres:16"), "MONGODB_URL": ("mongo", "mongo:7"),
                "REDIS_URL": ("redis", "redis:7"), "REFLEX_REDIS_URL": ("redis", "redis:7"),
                "SMTP_URL": ("smtp", "axllent/mailpit")}
STORES = {"postgres": "postgres:16", "mongo": "mongo:7", "redis": "redis:7", "smtp": "axllent/mailpit"}
REFERENCE = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*(:?[-?][^}]*)?\}$")  # ${NAME}, ${NAME:?message}, ${NAME:-default}
SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN")


def load() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def env_of(compose: dict, service: str) -> dict[str, str]:
    env = compose["services"][service].get("environment") or {}
    if isinstance(env, list):  # the list form: ["NAME=value", ...]
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def check_services(compose: dict) -> None:
    services = compose["services"]
    for name, image in STORES.items():
        assert name in services, f"no {name} service"
        assert str(services[name].get("image", "")).startswith(image), f"{name} should run {image}"
    assert {"web", "worker"} <= set(services), "web and worker services are needed"
    mongo_command = " ".join(map(str, services["mongo"].get("command", [])))
    assert "--replSet rs0" in mongo_command, "MongoDB must run as replica set rs0"


def check_built_from_repository(compose: dict) -> None:
    for name in ("web", "worker"):
        build = compose["services"][name].get("build")
        assert isinstance(build, dict), f"{name} must be built from the repository"
        assert build.get("context") == "..", f"{name}: build context should be the repository (..)"
        assert build.get("dockerfile") == "deploy/Dockerfile", f"{name}: dockerfile should be deploy/Dockerfile"
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).is_file(), "deploy/Dockerfile is missing"


def check_commands(compose: dict) -> None:
    services = compose["services"]
    assert "astrobookings.dev.launcher" in " ".join(services["web"].get("command", [])), \
        "web should start through make run's launcher"
    assert " ".join(services["worker"].get("command", [])) == "python -m astrobookings.worker", \
        "workers run python -m astrobookings.worker"
    assert int(services["worker"].get("deploy", {}).get("replicas", 1)) >= 2, "several workers"


def check_names_are_settings(compose: dict) -> None:
    for service in ("web", "worker"):
        unknown = set(env_of(compose, service)) - SETTINGS - set(NOT_SETTINGS)
        assert not unknown, f"{service}: {sorted(unknown)} are neither settings nor documented variables"


def check_required_and_roles(compose: dict) -> None:
    for service in ("web", "worker"):
        env = env_of(compose, service)
        missing = [name for name in REQUIRED if not env.get(name)]
        assert not missing, f"{service} lacks {missing}"
        assert env.get("PROCESS_ROLE") == service, f"{service} must run with PROCESS_ROLE={service}"
    assert env_of(compose, "web").get("REFLEX_REDIS_URL"), "web processes share Reflex state through Redis"
    shared = compose.get("x-app-env") or {}
    for name in REQUIRED:
        assert name in shared, f"{name} belongs in x-app-env, shared by web and worker"


def check_no_literal_secret(compose: dict) -> None:
    envs = [env_of(compose, name) for name in compose["services"]]
    for env in envs:
        for name, value in env.items():
            if any(word in name for word in SECRET_WORDS) and value:
                assert REFERENCE.match(value), f"{name} must come from the operator's environment (${{...}})"
    for service in ("web", "worker"):
        assert REFERENCE.match(env_of(compose, service)["JWT_SECRET"]), "JWT_SECRET must be a ${...} reference"
        password = urlsplit(env_of(compose, service)["DATABASE_URL"]).password
        assert password is None or REFERENCE.match(password), "the PostgreSQL password must be a ${...} reference"


def check_urls(compose: dict) -> None:
    services = compose["services"]
    for service in ("web", "worker"):
        env = env_of(compose, service)
        for name, (target, image) in URL_SERVICES.items():
            if name not in env:
                continue
            host = urlsplit(env[name]).hostname
            assert host == target, f"{service}: {name} should point at the {target} service, not {host}"
            assert str(services[host].get("image", "")).startswith(image)
        # The settings' own conversion (what services/core/db.py connects with); the environment is not read.
        url = Settings.model_construct(database_url=env["DATABASE_URL"]).sqlalchemy_url
        assert url.startswith("postgresql+psycopg://"), "DATABASE_URL must be a form services/core/db.py accepts"
        assert parse_qs(urlsplit(env["MONGODB_URL"]).query).get("replicaSet") == ["rs0"], \
            "MONGODB_URL must name the replica set"


CHECKS = [check_services, check_built_from_repository, check_commands, check_names_are_settings,
          check_required_and_roles, check_no_literal_secret, check_urls]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_compose_file(check):
    check(load())


def test_documented_variables_are_read_where_they_say_and_are_not_settings():
    for name, reader in NOT_SETTINGS.items():
        assert name not in SETTINGS, f"{name} is a setting now: drop it from NOT_SETTINGS"
        assert name in (ROOT / reader).read_text(), f"{reader} does not read {name}"


def _set_env(service: str, name: str, value):
    def breaks(compose):
        compose["services"][service]["environment"][name] = value
    return breaks


def _drop_env(service: str, name: str):
    def breaks(compose):
        del compose["services"][service]["environment"][name]
    return breaks


def _set(path: tuple, value):
    def breaks(compose):
        node = compose
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return breaks


BREAKS = [
    (check_services, "no mailpit", lambda c: c["services"].pop("smtp")),
    (check_services, "wrong image", _set(("services", "postgres", "image"), "mysql:8")),
    (check_services, "mongo without a replica set", _set(("services", "mongo", "command"), ["--bind_ip_all"])),
    (check_built_from_repository, "image instead of build", _set(("services", "worker", "build"), None)),
    (check_built_from_repository, "other context", _set(("services", "web", "build"), {"context": ".", "dockerfile": "deploy/Dockerfile"})),
    (check_built_from_repository, "another Dockerfile", _set(("services", "web", "build"), {"context": "..", "dockerfile": "Dockerfile"})),
    (check_commands, "worker running the web server", _set(("services", "worker", "command"), ["python", "-m", "astrobookings.dev.launcher"])),
    (check_commands, "web running the worker", _set(("services", "web", "command"), ["python", "-m", "astrobookings.worker"])),
    (check_commands, "one worker", _set(("services", "worker", "deploy"), {"replicas": 1})),
    (check_names_are_settings, "misspelled setting", _set_env("worker", "DATABSE_URL", "x")),
    (check_names_are_settings, "undocumented variable", _set_env("web", "GUNICORN_WORKERS", "4")),
    (check_required_and_roles, "no SMTP_URL", _drop_env("worker", "SMTP_URL")),
    (check_required_and_roles, "empty PUBLIC_BASE_URL", _set_env("web", "PUBLIC_BASE_URL", "")),
    (check_required_and_roles, "wrong role", _set_env("worker", "PROCESS_ROLE", "all")),
    (check_required_and_roles, "web without Reflex state in Redis", _drop_env("web", "REFLEX_REDIS_URL")),
    (check_required_and_roles, "a store URL left out of x-app-env", lambda c: c["x-app-env"].pop("REDIS_URL")),
    (check_no_literal_secret, "literal JWT secret", _set_env("web", "JWT_SECRET", "k3J9x-literal-secret-0123456789abcdefgh")),
    (check_no_literal_secret, "literal PostgreSQL password", _set_env(
        "worker", "DATABASE_URL", "postgresql://astro:hunter2hunter2@postgres:5432/astrobookings")),
    (check_no_literal_secret, "literal metrics token", _set_env("web", "METRICS_TOKEN", "plain-token")),
    (check_urls, "store on localhost", _set_env("worker", "REDIS_URL", "redis://127.0.0.1:6379/0")),
    (check_urls, "URL naming another service", _set_env("web", "DATABASE_URL", "postgresql://astro:${P}@mongo:5432/x")),
    (check_urls, "unaccepted DATABASE_URL form", _set_env("web", "DATABASE_URL", "mysql://astro:${P}@postgres:5432/x")),
    (check_urls, "no replicaSet", _set_env("web", "MONGODB_URL", "mongodb://mongo:27017/")),
]


@pytest.mark.parametrize("check, what, breaks", BREAKS, ids=[what for _, what, _ in BREAKS])
def test_each_check_fails_on_a_broken_file(check, what, breaks):
    compose = copy.deepcopy(load())
    breaks(compose)
    with pytest.raises(AssertionError):
        check(compose)
