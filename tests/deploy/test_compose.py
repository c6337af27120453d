"""The container topology (Dockerfile, docker-compose.yml) is valid and names only real things.

There is no Docker engine here, so `docker compose config` cannot run: the compose file is
interpolated by the helper below, as Compose would, then validated against the official
compose-spec JSON schema, and every command it (or the Dockerfile) runs is checked against the
project: management commands, the Celery app, the WSGI path, the options the CLIs accept and the
packages in requirements.lock. No database and no network are used.

Vendored schema, tests/vendor/compose-spec.json (tests/vendor/README.md): the npm package
`dclint` 3.1.0, file `package/schemas/compose.schema.json`, a copy of compose-spec/compose-spec
`schema/compose-spec.json` (JSON Schema draft-07, `$id` compose_spec.json).
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
LOCK = ROOT / "requirements.lock"
SETTINGS = ROOT / "elearn" / "settings" / "base.py"
SCHEMA = ROOT / "tests" / "vendor" / "compose-spec.json"

REQUIRED_SERVICES = {"web", "worker", "beat", "postgres", "redis", "cache", "objectstore"}
DJANGO_SERVICES = ("web", "worker", "beat")
# What an operator must provide (the `${VAR:?...}` entries), with stand-ins for the tests.
REQUIRED_VARIABLES = {
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "formation.example.org",
    "SITE_BASE_URL": "https://formation.example.org",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
    "S3_ACCESS_KEY_ID": "elearn-media",
    "S3_SECRET_ACCESS_KEY": "y" * 40,
}


# --- Compose interpolation -------------------------------------------------------------------


class InterpolationError(ValueError):
    """A `${VAR:?message}` whose variable is missing, or a malformed `$` expression."""


# Compose's grammar (compose-spec, "Interpolation"): `$$` is a literal dollar; `$VAR`, `${VAR}`;
# `${VAR:-default}` / `${VAR-default}` (unset or empty / unset); `${VAR:?error}` / `${VAR?error}`;
# `${VAR:+replacement}` / `${VAR+replacement}`. Any other `$` is an error, as in Compose.
_INTERPOLATION = re.compile(
    r"""\$(?:
        (?P<escaped>\$)
      | \{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-?+])(?P<argument>[^}]*))?\}
      | (?P<named>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<invalid>)
    )""",
    re.VERBOSE,
)


def interpolate_string(value: str, environment: Mapping[str, str]) -> str:
    """Substitute Compose variables in one string, raising InterpolationError as Compose does."""

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"] is not None:
            return "$"
        if match["invalid"] is not None:
            raise InterpolationError(f"invalid interpolation format in {value!r}")
        name = match["braced"] or match["named"]
        current = environment.get(name)
        operator, argument = match["operator"], match["argument"] or ""
        missing = current is None or (
            operator is not None and operator.startswith(":") and not current
        )
        if operator in {"-", ":-"} and missing:
            return argument
        if operator in {"?", ":?"} and missing:
            raise InterpolationError(f"{name}: {argument or 'required variable is missing'}")
        if operator in {"+", ":+"}:
            return "" if missing else argument
        return current or ""

    return _INTERPOLATION.sub(substitute, value)


def interpolate(node: Any, environment: Mapping[str, str]) -> Any:
    """Interpolate every string value of a loaded compose document (keys are left alone)."""
    if isinstance(node, str):
        return interpolate_string(node, environment)
    if isinstance(node, dict):
        return {key: interpolate(value, environment) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(item, environment) for item in node]
    return node


# --- Loading -----------------------------------------------------------------------------------


@cache
def raw_compose() -> dict[str, Any]:
    with COMPOSE_FILE.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@cache
def compose() -> dict[str, Any]:
    return interpolate(copy.deepcopy(raw_compose()), REQUIRED_VARIABLES)


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def as_argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def healthcheck_argv(service: Mapping[str, Any]) -> list[str]:
    """The probe as argv: CMD form as is, CMD-SHELL split as the shell would (variables aside)."""
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return shlex.split(test)
    kind, *rest = test
    return shlex.split(rest[0]) if kind == "CMD-SHELL" else rest


def depends_on(service: Mapping[str, Any]) -> dict[str, str]:
    """depends_on as {service: condition}; the short (list) form means service_started."""
    value = service.get("depends_on") or {}
    if isinstance(value, list):
        return dict.fromkeys(value, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in value.items()}


def is_long_running(service: Mapping[str, Any]) -> bool:
    """One-shot services say so with restart "no"; every other one runs for good."""
    return service.get("restart", "no") != "no"


def app_image() -> str:
    return services()["web"]["image"]


def app_services() -> dict[str, dict[str, Any]]:
    """The services running this project's image (the Django processes and the migrate job)."""
    return {name: spec for name, spec in services().items() if spec.get("image") == app_image()}


# --- Dockerfile --------------------------------------------------------------------------------


@cache
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def dockerfile(keyword: str) -> list[str]:
    return [arguments for name, arguments in dockerfile_instructions() if name == keyword]


def dockerfile_cmd() -> list[str]:
    (cmd,) = dockerfile("CMD")[-1:]
    return json.loads(cmd)  # exec form: gunicorn is PID 1 and receives SIGTERM itself


def dockerfile_healthcheck() -> list[str]:
    (healthcheck,) = dockerfile("HEALTHCHECK")[-1:]
    _, _, exec_form = healthcheck.partition("CMD ")
    return json.loads(exec_form)


@cache
def locked_packages() -> set[str]:
    names = set()
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==", line.strip())
        if match:
            names.add(re.sub(r"[-_.]+", "-", match[1]).lower())
    return names


# --- What the commands must refer to ----------------------------------------------------------


def manage_py_commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())


def celery_cli_options(command: Any) -> set[str]:
    return {option for param in command.params for option in (*param.opts, *param.secondary_opts)}


def options_of(argv: list[str]) -> Iterator[str]:
    for token in argv:
        if token.startswith("-") and token != "-":
            yield token.split("=", 1)[0]


def check_manage_py(argv: list[str]) -> None:
    assert (ROOT / "manage.py").is_file()
    subcommand = argv[argv.index("manage.py") + 1]
    assert subcommand in manage_py_commands(), f"manage.py has no {subcommand!r} command"


def check_celery(argv: list[str]) -> None:
    from celery.app.control import Inspect
    from celery.bin.celery import celery

    assert "celery" in locked_packages()
    app = argv[argv.index("-A") + 1]
    assert (ROOT / app.replace(".", "/") / "celery.py").is_file(), f"no Celery app module {app}"
    top_level = celery_cli_options(celery)
    # The first token that is neither a top-level option nor its value is the subcommand.
    position = 1
    while argv[position].startswith("-"):
        position += 2 if argv[position] in {"-A", "--app", "-b", "--broker"} else 1
    subcommand = argv[position]
    assert subcommand in celery.commands, f"celery has no {subcommand!r} command"
    accepted = top_level | celery_cli_options(celery.commands[subcommand])
    unknown = set(options_of(argv[1:])) - accepted
    assert not unknown, f"celery {subcommand} does not accept {sorted(unknown)}"
    if subcommand == "inspect":
        action = argv[position + 1]
        assert hasattr(Inspect, action), f"celery inspect has no {action!r} action"


def check_gunicorn(argv: list[str]) -> None:
    from gunicorn.config import Config

    assert "gunicorn" in locked_packages()
    # gunicorn's own option parser: every option must be one it knows.
    parsed, unknown = Config(prog="gunicorn").parser().parse_known_args(argv[1:])
    assert not unknown, f"gunicorn does not accept {unknown}"
    (target,) = parsed.args
    module, _, attribute = target.partition(":")
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"no module file for {module}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned = {
        node.id
        for statement in tree.body
        if isinstance(statement, ast.Assign)
        for node in statement.targets
        if isinstance(node, ast.Name)
    }
    assert attribute in assigned, f"{module} assigns no {attribute!r}"
    # All interfaces of the container; the compose file publishes it on the host's loopback.
    assert "0.0.0.0:8000" in parsed.bind


def check_python(argv: list[str]) -> None:
    if "manage.py" in argv:
        check_manage_py(argv)
    elif argv[1] == "-c":
        compile(argv[2], "<python -c>", "exec")
    else:
        pytest.fail(f"unrecognised python invocation {argv}")


def check_command(argv: list[str]) -> None:
    checks = {
        "python": check_python,
        "celery": check_celery,
        "gunicorn": check_gunicorn,
    }
    assert argv[0] in checks, f"no check for {argv[0]!r}: add one before using it"
    checks[argv[0]](argv)


# --- The interpolation helper -------------------------------------------------------------------


def test_interpolation_follows_compose_rules() -> None:
    """`$$` is a literal dollar, defaults apply to unset (and with `:`, empty) variables."""
    environment = {"SET": "value", "EMPTY": ""}
    assert interpolate_string("$$HOSTNAME", environment) == "$HOSTNAME"
    assert interpolate_string("${SET}/$SET", environment) == "value/value"
    assert interpolate_string("${UNSET:-fallback}", environment) == "fallback"
    assert interpolate_string("${EMPTY:-fallback}", environment) == "fallback"
    assert interpolate_string("${EMPTY-fallback}", environment) == ""
    assert interpolate_string("${SET:-fallback}", environment) == "value"
    assert interpolate_string("${SET:?unused}", environment) == "value"
    assert interpolate_string("${SET:+on}${UNSET:+on}", environment) == "on"
    assert interpolate_string("${UNSET}", environment) == ""


def test_interpolation_refuses_missing_required_variables() -> None:
    """`${VAR:?message}` fails with its message when VAR is unset or empty; a lone `$` fails."""
    with pytest.raises(InterpolationError, match="KEY: set it"):
        interpolate_string("${KEY:?set it}", {})
    with pytest.raises(InterpolationError, match="KEY: set it"):
        interpolate_string("${KEY:?set it}", {"KEY": ""})
    with pytest.raises(InterpolationError, match="invalid interpolation"):
        interpolate_string("cost: 5$", {})


# --- docker-compose.yml --------------------------------------------------------------------------


def test_compose_file_validates_against_the_compose_spec_schema() -> None:
    """After interpolation the file is a valid Compose document (compose-spec, draft-07)."""
    # The vendored schema declares https://json-schema.org/draft-07/schema, which jsonschema's
    # validator_for() does not map to a draft: the validator is chosen explicitly.
    assert "draft-07" in schema()["$schema"]
    jsonschema.Draft7Validator.check_schema(schema())
    errors = sorted(
        jsonschema.Draft7Validator(schema()).iter_errors(compose()), key=lambda e: e.json_path
    )
    assert not errors, "\n".join(f"{error.json_path}: {error.message}" for error in errors)


def test_schema_validation_catches_a_misspelt_key() -> None:
    """The schema check is not vacuous: an unknown service key is rejected."""
    broken = copy.deepcopy(compose())
    broken["services"]["web"]["helthcheck"] = broken["services"]["web"].pop("healthcheck")
    assert list(jsonschema.Draft7Validator(schema()).iter_errors(broken))


def test_compose_refuses_to_start_without_the_secrets_and_public_address() -> None:
    """SECRET_KEY, ALLOWED_HOSTS, SITE_BASE_URL and EMAIL_URL have no default: Compose stops."""
    for name in REQUIRED_VARIABLES:
        environment = {key: value for key, value in REQUIRED_VARIABLES.items() if key != name}
        with pytest.raises(InterpolationError, match=name):
            interpolate(copy.deepcopy(raw_compose()), environment)


def test_the_topology_has_its_six_services() -> None:
    """web, worker, beat, postgres, redis (the broker) and cache are all defined."""
    assert set(services()) >= REQUIRED_SERVICES


def test_every_long_running_service_has_a_healthcheck() -> None:
    """Each service that keeps running declares an enabled healthcheck with a test."""
    long_running = {name for name, spec in services().items() if is_long_running(spec)}
    assert long_running >= REQUIRED_SERVICES
    for name in long_running:
        healthcheck = services()[name].get("healthcheck", {})
        assert healthcheck.get("test"), name
        assert not healthcheck.get("disable"), name


def test_django_processes_wait_for_a_healthy_database_and_broker() -> None:
    """web, worker and beat start only once PostgreSQL and Redis report healthy."""
    for name in DJANGO_SERVICES:
        conditions = depends_on(services()[name])
        assert conditions.get("postgres") == "service_healthy", name
        assert conditions.get("redis") == "service_healthy", name


def test_migrations_run_before_the_django_processes_start() -> None:
    """A one-shot migrate job runs `manage.py migrate` and web/worker/beat wait for its success."""
    migrate = services()["migrate"]
    assert not is_long_running(migrate)
    argv = as_argv(migrate["command"])
    assert argv[argv.index("manage.py") + 1] == "migrate"
    for name in DJANGO_SERVICES:
        assert depends_on(services()[name]).get("migrate") == "service_completed_successfully"


def test_dependencies_exist_and_can_become_healthy() -> None:
    """Every depends_on names a defined service; service_healthy ones have a healthcheck."""
    for name, spec in services().items():
        for target, condition in depends_on(spec).items():
            assert target in services(), f"{name} depends on undefined {target}"
            if condition == "service_healthy":
                assert "test" in services()[target].get("healthcheck", {}), (name, target)


def test_named_volumes_are_declared() -> None:
    """Every named volume mounted by a service is declared at the top level."""
    declared = set(compose().get("volumes") or {})
    for name, spec in services().items():
        for volume in spec.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


def test_broker_never_evicts_and_the_cache_is_bounded_lru() -> None:
    """The broker Redis keeps every queued task (noeviction, AOF); the cache evicts LRU keys."""
    broker = as_argv(services()["redis"]["command"])
    assert broker[broker.index("--maxmemory-policy") + 1] == "noeviction"
    assert broker[broker.index("--appendonly") + 1] == "yes"
    cache_argv = as_argv(services()["cache"]["command"])
    assert cache_argv[cache_argv.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert cache_argv[cache_argv.index("--maxmemory") + 1] == "256mb"
    assert cache_argv[cache_argv.index("--appendonly") + 1] == "no"


def test_django_processes_share_one_configuration_that_names_the_services() -> None:
    """web, worker and beat get the same environment; its URLs point at the compose services."""
    environments = [services()[name]["environment"] for name in DJANGO_SERVICES]
    assert all(environment == environments[0] for environment in environments)
    environment = environments[0]
    assert environment["DATABASE_URL"] == "postgres://elearn:elearn@postgres:5432/elearn"
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
    assert urlsplit(environment["CACHE_URL"]).hostname == "cache"
    assert environment["MEDIA_STORAGE"] == "s3"
    assert urlsplit(environment["S3_ENDPOINT_URL"]).hostname == "objectstore"
    assert environment["S3_ACCESS_KEY_ID"] == REQUIRED_VARIABLES["S3_ACCESS_KEY_ID"]
    for url_name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL"):
        assert urlsplit(environment[url_name]).hostname in services(), url_name


def test_every_environment_variable_is_read_by_the_settings() -> None:
    """No variable in the shared environment is misspelt: the settings read each of them."""
    # The settings, and elearn/storage.py, which they call for the media variables.
    source = SETTINGS.read_text(encoding="utf-8") + (SETTINGS.parents[1] / "storage.py").read_text(
        encoding="utf-8"
    )
    for name in services()["web"]["environment"]:
        if name == "DJANGO_SETTINGS_MODULE":
            continue  # read by manage.py, wsgi.py and elearn/celery.py
        assert f'"{name}"' in source, f"elearn/settings/base.py never reads {name}"


def test_media_are_in_the_object_store_not_on_a_shared_volume() -> None:
    """web and worker may run on different hosts: they share no volume, reach the object
    store (started healthy before them), and the store has the bucket's own credentials."""
    web_volumes = set(services()["web"].get("volumes", []))
    assert not web_volumes & set(services()["worker"].get("volumes", []))
    for name in ("web", "worker"):
        assert depends_on(services()[name]).get("objectstore") == "service_healthy", name
    store = services()["objectstore"]
    assert "ports" not in store  # reached over the compose network only
    assert store["environment"]["AWS_ACCESS_KEY_ID"] == REQUIRED_VARIABLES["S3_ACCESS_KEY_ID"]
    assert store["environment"]["S3_BUCKET"] == services()["web"]["environment"]["S3_BUCKET"]
    assert as_argv(store["command"])[0] == "mini"


def test_every_command_refers_to_something_that_exists() -> None:
    """Commands and probes of the app services name real manage.py commands, Celery app and
    subcommands with options they accept, the WSGI callable, and packages that are locked."""
    for name, spec in app_services().items():
        command = spec.get("command") or dockerfile_cmd()
        check_command(as_argv(command))
        healthcheck = spec.get("healthcheck", {})
        if healthcheck.get("test") and not healthcheck.get("disable"):
            check_command(healthcheck_argv(spec))
        assert name in services()


def test_the_worker_probe_pings_its_own_node() -> None:
    """`$$HOSTNAME` reaches the container's shell as $HOSTNAME, the worker's default node name."""
    test = services()["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    assert "celery@$HOSTNAME" in test[1]


def test_web_is_published_on_the_port_gunicorn_binds() -> None:
    """The published container port is the one in the image's gunicorn --bind."""
    (mapping,) = services()["web"]["ports"]
    assert str(mapping).rsplit(":", 1)[1] == "8000"
    argv = dockerfile_cmd()
    assert argv[argv.index("--bind") + 1].endswith(":8000")


# --- Dockerfile ----------------------------------------------------------------------------------


def test_dockerfile_builds_from_python_311_slim() -> None:
    """Every stage starts from python:3.11-slim (directly or through the PYTHON_IMAGE arg)."""
    arguments = dict(argument.split("=", 1) for argument in dockerfile("ARG") if "=" in argument)
    for stage in dockerfile("FROM"):
        image = stage.split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: arguments[m[1]], image)
        assert image.startswith("python:3.11-slim"), image


def test_dockerfile_runs_as_an_unprivileged_user() -> None:
    """The final USER is neither root nor uid 0."""
    users = dockerfile("USER")
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_command_and_healthcheck_exist() -> None:
    """CMD is gunicorn on elearn.wsgi:application; HEALTHCHECK asks /healthz with urllib."""
    check_command(dockerfile_cmd())
    probe = dockerfile_healthcheck()
    check_command(probe)
    assert "/healthz" in probe[2]
    assert "urllib" in probe[2]


def test_dockerfile_builds_translations_and_static_files() -> None:
    """compilemessages and collectstatic run at build time, and both commands exist."""
    runs = " ".join(dockerfile("RUN"))
    used = set(re.findall(r"manage\.py\s+(\w+)", runs))
    assert {"compilemessages", "collectstatic"} <= used
    assert used <= manage_py_commands()
    assert "gettext" in runs


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored() -> None:
    """Each COPY source from the build context exists and is not excluded by .dockerignore."""
    ignored = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for arguments in dockerfile("COPY"):
        tokens = shlex.split(arguments)
        if any(token.startswith("--from") for token in tokens):
            continue  # from another stage, not from the context
        sources = [token for token in tokens if not token.startswith("--")][:-1]
        for source in sources:
            assert (ROOT / source).exists(), source
            assert source not in ignored, source


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    """The virtualenv, var/, .git, bytecode caches and benchmark results are not sent."""
    ignored = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert {".venv", "var", ".git", "bench/results"} <= ignored
    assert ignored & {"__pycache__", "**/__pycache__"}
    assert ignored & {"node_modules", "**/node_modules"}


# --- The documented production environment ----------------------------------------------------

DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"


def documented_dotenv() -> dict[str, str]:
    """The `.env` of docs/deployment.md ("Running it"), its `<...>` placeholders filled in as
    an operator would: with long random strings."""
    text = DEPLOYMENT_DOC.read_text(encoding="utf-8")
    block = re.search(r"cat > \.env <<'EOF'\n(.*?)\nEOF\n", text, re.DOTALL)
    assert block, "docs/deployment.md no longer shows the .env to write"
    values = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        values[name] = secrets.token_urlsafe(50) if value.startswith("<") else value
    return values


def documented_environment() -> dict[str, str]:
    """What web, worker and beat get from docker-compose.yml with that `.env`: an entry left
    empty in the compose file passes the `.env` value through, or stays unset."""
    dotenv = documented_dotenv()
    environment = interpolate(copy.deepcopy(raw_compose()), dotenv)["x-django-environment"]
    return {
        name: str(value) if value is not None else dotenv[name]
        for name, value in environment.items()
        if value is not None or name in dotenv
    }


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path) -> None:
    """`manage.py check --deploy` reports nothing, not even a warning, for the environment an
    operator following docs/deployment.md gives the site. Only the database is this machine's
    (the compose host name `postgres` does not resolve here): the demo-password check
    (courses.E006) reads the accounts there."""
    environment = documented_environment()
    assert environment["SECRET_KEY"] != REQUIRED_VARIABLES["SECRET_KEY"]
    assert "DEBUG" not in environment
    environment.update(
        PATH=os.environ["PATH"],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
