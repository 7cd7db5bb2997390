"""The deployment files run what the tests run, probe what the processes serve, and hold no dev secret.

Reads docker/Dockerfile, docker/docker-compose.yml and deploy/k8s/*.yaml (no
Docker or Kubernetes needed). Every `coach ...` command in them must parse with
`cli/main.py`'s own parser; every `coach serve ...` is run up to the point where
it would exec the server, and the resulting command line must be the one
`cli.local_stack.LocalStack` (the e2e and production tests) starts, listening
where the probes look.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, List
from urllib.parse import urlsplit

import pytest
import yaml

from bot.settings import DEV_JWT_SECRET, DEV_RASA_TOKEN, Settings, get_settings
from cli.dev_setup import DEV_USERS
from cli.main import build_parser
from cli.stack import actions_command, api_command, rasa_command

from deploy_files import (
    COMPOSE_FILE,
    DEPLOY_DIRS,
    K8S_DIR,
    Container,
    all_containers,
    compose_containers,
    compose_services,
    dockerfile_containers,
    dockerfile_run_commands,
    dockerfile_stages,
    k8s_by_kind,
    k8s_containers,
    load_all,
    pod_spec,
    stage_inherits,
    yaml_files,
)

# The only commands containers may run: the ones `coach run` and the tests run.
ALLOWED = {("serve", "rasa"), ("serve", "actions"), ("serve", "api"), ("db", "upgrade"), ("retention", "run")}
# Where each process says it is ready (api/routers/health.py under /api/v1; Rasa's `/`
# answers once the model is loaded, `/status` with the token; rasa_sdk's /health).
# The API is ready when its database answers (/health/ready): Rasa down must not take it out
# of service (issue 15.4).
READY_PATHS = {"api": {"/api/v1/health/ready"}, "rasa": {"/", "/status"}, "actions": {"/health"}}
SECRET_VARS = (
    "COACH_JWT_SECRET",
    "COACH_RASA_TOKEN",
    "COACH_DATABASE_URL",
    "COACH_TRACKER_STORE_URL",
    "COACH_LOCK_STORE_URL",
    "COACH_INTERNAL_TOKEN",
    "COACH_REDIS_URL",
)
LOAD_RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "load.json"
REPO = Path(__file__).resolve().parents[2]


class _Exec(Exception):
    """Raised instead of os.execvp: carries the command `coach serve` would become."""

    def __init__(self, argv: List[str]) -> None:
        super().__init__(argv)
        self.argv = argv


@pytest.fixture
def served(monkeypatch, tmp_path):
    """`coach serve ...` → the argv it would exec (no server is started, nothing written in var/)."""
    import cli.stack
    import cli.training
    from cli.main import main

    model = tmp_path / "coach-model.tar.gz"
    endpoints = tmp_path / "endpoints.yml"

    def fake_exec(program, argv):
        raise _Exec(list(argv))

    monkeypatch.setattr(os, "execvp", fake_exec)
    monkeypatch.setattr(cli.stack, "endpoints_file", lambda settings, path=None: endpoints)
    monkeypatch.setattr(cli.training, "current_model", lambda: model)
    for name in list(os.environ):
        if name.startswith("COACH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COACH_ENV", "test")
    monkeypatch.setenv("COACH_RASA_TOKEN", "deploy-test-token")
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")

    def run(command: List[str]) -> List[str]:
        with pytest.raises(_Exec) as execd:
            main(command[1:])
        return execd.value.argv

    run.model, run.endpoints, run.token = model, endpoints, "deploy-test-token"
    yield run
    get_settings.cache_clear()


def _role(container: Container) -> str:
    return container.command[2]


def _served_containers() -> List[Container]:
    return [c for c in all_containers() if c.command[:2] == ["coach", "serve"]]


def _ids(containers: List[Container]) -> List[str]:
    return [c.source for c in containers]


def _option(argv: List[str], name: str) -> str:
    return argv[argv.index(name) + 1]


# --- everything parses ---------------------------------------------------------


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_yaml_file_parses(path):
    assert load_all(path), f"{path} holds no YAML document"


def test_the_deployment_files_define_every_role():
    roles = {(c.source.split(":")[0], _role(c)) for c in _served_containers()}
    for where in ("compose", "k8s", "Dockerfile"):
        expected = {"rasa", "api"} | ({"actions"} if where != "Dockerfile" else set())
        assert expected <= {role for w, role in roles if w == where}, f"{where}: {roles}"
    migrations = [
        c for c in compose_containers() + k8s_containers() if c.command == ["coach", "db", "upgrade"]
    ]
    assert {c.source.split(":")[0] for c in migrations} == {"compose", "k8s"}
    # Retention (issue 14.9): an hourly CronJob on Kubernetes, a looping service in compose.
    retention = {
        c.source: c.command
        for c in compose_containers() + k8s_containers()
        if c.command[1:2] == ["retention"]
    }
    assert retention == {
        "compose:retention": ["coach", "retention", "run", "--every", "3600"],
        "k8s:CronJob/coach-retention": ["coach", "retention", "run"],
    }
    cronjob = k8s_by_kind("CronJob")[0]
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    assert pod_spec(cronjob)["containers"][0]["image"] == "toekomstcoach-app"


@pytest.mark.parametrize(
    "command",
    [c.command for c in all_containers() if c.is_coach] + dockerfile_run_commands(),
    ids=lambda c: " ".join(c),
)
def test_every_coach_command_exists_in_the_cli(command):
    try:
        args = build_parser().parse_args(command[1:])
    except SystemExit:
        pytest.fail(f"`{' '.join(command)}` is not a command of cli/main.py")
    if command[1] != "train":  # the image build trains; containers only serve and migrate
        sub = getattr(args, "process", getattr(args, "db_command", getattr(args, "retention_command", None)))
        assert (args.command, sub) in ALLOWED


def test_every_container_runs_a_coach_command():
    ours = [c for c in all_containers() if c.source.split(":")[1] not in ("postgres", "redis")]
    assert [c.source for c in ours if not c.is_coach] == []


# --- same command line as the tests, listening where the probes look ------------


@pytest.mark.parametrize("container", _served_containers(), ids=_ids(_served_containers()))
def test_coach_serve_runs_the_process_the_tests_start(container, served):
    argv = served(container.command)
    role = _role(container)
    port = int(_option(argv, "--port"))
    if role == "rasa":
        # LocalStack listens on 127.0.0.1; a container must listen on every interface.
        assert _option(argv, "--interface") == "0.0.0.0"
        expected = rasa_command(served.model, port, served.token, served.endpoints)
        expected[expected.index("--interface") + 1] = "0.0.0.0"
    elif role == "api":
        assert _option(argv, "--host") == "0.0.0.0"
        expected = api_command("0.0.0.0", port)
    else:
        expected = actions_command(port)  # rasa_sdk listens on 0.0.0.0 by itself
    assert argv == expected
    if container.ports:
        assert port in container.ports, f"{container.source} serves {port}, declares {container.ports}"
    for probe in container.probes:
        assert probe.port == port, f"{container.source}: {probe.kind} probe on {probe.port}, server on {port}"


@pytest.mark.parametrize("container", _served_containers(), ids=_ids(_served_containers()))
def test_every_server_has_a_readiness_check_on_its_health_route(container):
    ready = [p for p in container.probes if p.kind in ("readiness", "healthcheck")]
    assert ready, f"{container.source} has no readiness probe / health check"
    for probe in ready:
        assert probe.path in READY_PATHS[_role(container)], f"{container.source}: {probe.path}"


def test_the_api_health_route_is_where_the_probes_look():
    from api.main import API_PREFIX
    from api.routers.health import router

    paths = {API_PREFIX + route.path for route in router.routes}
    assert {API_PREFIX + "/health", API_PREFIX + "/health/ready", API_PREFIX + "/health/live"} <= paths
    assert READY_PATHS["api"] == {API_PREFIX + "/health/ready"}


def test_k8s_startup_and_liveness_probes_do_not_restart_a_loading_rasa():
    for container in k8s_containers():
        if container.command[:3] == ["coach", "serve", "rasa"]:
            startup = container.raw["startupProbe"]
            # Loading TensorFlow and the model took up to ~90 s under load on 2 cores.
            assert startup["periodSeconds"] * startup["failureThreshold"] >= 180


def test_the_api_is_not_killed_when_rasa_is_down():
    """Liveness must not use /health: it is 503 while Rasa is down, and the API is what then
    stores the client's message and calls a counsellor."""
    for container in k8s_containers():
        if container.command[:3] == ["coach", "serve", "api"]:
            live = container.raw["livenessProbe"]
            assert "tcpSocket" in live or live["httpGet"]["path"] != "/api/v1/health"
            assert container.raw["readinessProbe"]["httpGet"]["path"] == "/api/v1/health/ready"


def test_the_api_liveness_asks_only_the_process():
    for container in k8s_containers():
        if container.command[:3] == ["coach", "serve", "api"]:
            assert container.raw["livenessProbe"]["httpGet"]["path"] == "/api/v1/health/live"


def test_every_long_running_compose_service_comes_back_after_it_exits():
    """restart policies (issue 15.0): Rasa killed for memory is started again, nothing else stops."""
    services = yaml.safe_load((REPO / "docker" / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        if name == "migrate":
            assert service.get("restart") == "no"
        else:
            assert service.get("restart") in ("unless-stopped", "always"), name


def test_api_replicas_share_alerts_through_redis_and_are_scraped():
    compose = yaml.safe_load((REPO / "docker" / "docker-compose.yml").read_text())
    assert compose["x-coach-env"]["COACH_REDIS_URL"].startswith("redis://redis:6379/")
    secret = yaml.safe_load((REPO / "deploy" / "k8s" / "secret.example.yaml").read_text())
    assert "COACH_REDIS_URL" in secret["stringData"]
    api = yaml.safe_load((REPO / "deploy" / "k8s" / "api.yaml").read_text().split("---")[1])
    annotations = api["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics" and annotations["prometheus.io/port"] == "8000"
    policies = list(yaml.safe_load_all((REPO / "deploy" / "k8s" / "network-policies.yaml").read_text()))
    api_egress = next(p for p in policies if p["metadata"]["name"] == "api-egress")
    assert any(
        port["port"] == 6379 for rule in api_egress["spec"]["egress"] for port in rule.get("ports", [])
    )


# --- topology: two Rasa servers that the API knows by name ------------------------


def _urls(value: str) -> List[str]:
    return [u.strip() for u in value.split(",") if u.strip()]


def test_compose_api_lists_every_rasa_service():
    services = compose_services()
    rasa = {
        name for name, s in services.items() if (s.get("command") or [])[:3] == ["coach", "serve", "rasa"]
    }
    assert len(rasa) == 2
    env = services["api"]["environment"]
    listed = {(urlsplit(u).hostname, urlsplit(u).port) for u in _urls(env["COACH_RASA_URLS"])}
    assert listed == {(name, 5005) for name in rasa}
    action = urlsplit(env["COACH_ACTION_SERVER_URL"])
    assert (action.hostname, action.port) == ("actions", 5055)


def test_k8s_runs_two_rasa_replicas_that_the_api_addresses_one_by_one():
    rasa = [
        w
        for w in k8s_by_kind("StatefulSet")
        if pod_spec(w)["containers"][0]["command"][:3] == ["coach", "serve", "rasa"]
    ]
    assert len(rasa) == 1
    workload = rasa[0]
    replicas = workload["spec"]["replicas"]
    assert replicas == 2
    service = next(
        s for s in k8s_by_kind("Service") if s["metadata"]["name"] == workload["spec"]["serviceName"]
    )
    assert service["spec"]["clusterIP"] == "None", "pods need their own DNS names: a headless Service"
    labels = workload["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    config = next(c for c in k8s_by_kind("ConfigMap") if c["metadata"]["name"] == "coach-config")["data"]
    name = workload["metadata"]["name"]
    assert _urls(config["COACH_RASA_URLS"]) == [
        f"http://{name}-{i}.{service['metadata']['name']}:5005" for i in range(replicas)
    ]
    budget = next(p for p in k8s_by_kind("PodDisruptionBudget") if p["metadata"]["name"] == name)
    assert budget["spec"]["minAvailable"] == 1


def test_k8s_postgres_and_redis_are_external_services():
    external = {
        s["metadata"]["name"]: s for s in k8s_by_kind("Service") if s["spec"].get("type") == "ExternalName"
    }
    assert set(external) >= {"postgres", "redis"}
    assert not [
        w
        for w in k8s_by_kind("StatefulSet") + k8s_by_kind("Deployment")
        if w["metadata"]["name"] in ("postgres", "redis")
    ]


# --- secrets ------------------------------------------------------------------------


def _deploy_texts() -> Dict[str, str]:
    return {str(p): p.read_text(encoding="utf-8") for d in DEPLOY_DIRS for p in d.rglob("*") if p.is_file()}


def test_no_development_secret_appears_in_any_deployment_file():
    dev_secrets = [DEV_JWT_SECRET, DEV_RASA_TOKEN] + [password for _, _, password in DEV_USERS]
    found = [(path, s) for path, text in _deploy_texts().items() for s in dev_secrets if s in text]
    assert found == []


def _required_interpolation(value: str) -> bool:
    """`${NAME:?message}`: compose stops when NAME is unset; there is no default to fall back to."""
    return value.startswith("${") and ":?" in value and ":-" not in value


def test_compose_requires_every_secret_from_the_environment():
    for name, service in compose_services().items():
        env = service.get("environment") or {}
        for var in ("COACH_JWT_SECRET", "COACH_RASA_TOKEN"):
            if var in env:
                assert _required_interpolation(str(env[var])), f"{name}: {var}={env[var]}"
        for var in ("COACH_DATABASE_URL", "COACH_TRACKER_STORE_URL", "COACH_LOCK_STORE_URL"):
            if var in env:
                # A password in a URL comes from the environment too (the Redis here has none).
                userinfo = str(env[var]).split("://", 1)[1].rpartition("@")[0]
                password = userinfo.partition(":")[2]
                assert not password or _required_interpolation(password), f"{name}: {var}={env[var]}"


def test_k8s_secrets_come_from_a_secret_object_only():
    config_keys = {key for c in k8s_by_kind("ConfigMap") for key in (c.get("data") or {})}
    assert not config_keys & set(SECRET_VARS), "a secret in a ConfigMap"
    for container in k8s_containers():
        literal = [
            e["name"] for e in container.raw.get("env") or [] if e["name"] in SECRET_VARS and "value" in e
        ]
        assert literal == [], f"{container.source}: literal secret {literal}"
        refs = [s["secretRef"]["name"] for s in container.raw.get("envFrom") or [] if "secretRef" in s]
        assert refs == ["coach-secrets"], f"{container.source} does not read the Secret"


def test_the_example_secret_is_not_applied_and_refuses_to_start():
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text(encoding="utf-8"))
    assert "secret.example.yaml" not in kustomization["resources"]
    assert not [c for c in k8s_containers() if c.source.startswith("k8s:Secret")]
    example = load_all(K8S_DIR / "secret.example.yaml")[0]
    assert set(example["stringData"]) == set(SECRET_VARS)
    assert set(example["stringData"].values()) == {""}
    # Applied as is, every process would stop at start-up (bot/settings.py).
    with pytest.raises(ValueError, match="refusing to start in production"):
        Settings(
            env="production",
            jwt_secret=example["stringData"]["COACH_JWT_SECRET"],
            rasa_token=example["stringData"]["COACH_RASA_TOKEN"],
            database_url="postgresql://coach@postgres:5432/coach",
        )


# --- images: pinned, non-root ---------------------------------------------------------


def test_images_are_pinned():
    for name, service in compose_services().items():
        image = service["image"]
        tag = image.rsplit(":", 1)[-1] if ":" in image else ""
        assert tag and tag != "latest" and any(ch.isdigit() for ch in tag), f"{name}: {image}"
    for instructions in dockerfile_stages().values():
        base = instructions[0][1]
        if base not in dockerfile_stages():
            assert ":" in base and any(ch.isdigit() for ch in base.split(":")[1]), base
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text(encoding="utf-8"))
    pinned = {i["name"]: i["newTag"] for i in kustomization["images"]}
    for container in k8s_containers():
        assert container.raw["image"] in pinned and pinned[container.raw["image"]] not in ("", "latest")


def test_containers_run_as_a_user_other_than_root():
    stages = dockerfile_stages()
    for container in dockerfile_containers():
        stage = container.source.split(":")[1]
        users = [rest for instruction, rest in stage_inherits(stages, stage) if instruction == "USER"]
        assert users and users[-1].split(":")[0] not in ("0", "root"), f"{stage} runs as root"
    for name, service in compose_services().items():
        assert str(service.get("user", "")).split(":")[0] not in ("0", "root"), name
    for workload in k8s_by_kind("StatefulSet") + k8s_by_kind("Deployment") + k8s_by_kind("Job"):
        security = pod_spec(workload)["securityContext"]
        assert security["runAsNonRoot"] is True and security["runAsUser"] != 0, workload["metadata"]["name"]


def test_compose_keeps_data_in_volumes_and_waits_for_what_it_needs():
    services = compose_services()
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert set(load_all(COMPOSE_FILE)[0]["volumes"]) >= {
        v.split(":")[0] for v in services["postgres"]["volumes"]
    }
    api_needs = services["api"]["depends_on"]
    assert api_needs["migrate"]["condition"] == "service_completed_successfully"
    assert all(api_needs[name]["condition"] == "service_healthy" for name in ("rasa1", "rasa2", "actions"))


# --- sizes ---------------------------------------------------------------------------


def test_every_k8s_container_requests_cpu_and_memory():
    for container in k8s_containers():
        resources = container.raw.get("resources") or {}
        assert {"cpu", "memory"} <= set(resources.get("requests") or {}), container.source
        assert "memory" in (resources.get("limits") or {}), container.source


def _mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    for unit, factor in units.items():
        if quantity.endswith(unit):
            return float(quantity[: -len(unit)]) * factor
    return float(quantity) / 2**20


def test_k8s_memory_requests_cover_the_peak_rss_the_benchmark_measured():
    if not LOAD_RESULTS.exists():
        pytest.skip("bench/results/load.json is missing: run `make bench` first")
    peaks = json.loads(LOAD_RESULTS.read_text(encoding="utf-8"))["peak_rss_mib_by_role"]
    for container in k8s_containers():
        role = container.command[2] if container.command[:2] == ["coach", "serve"] else None
        if role not in peaks:
            continue
        resources = container.raw["resources"]
        request, limit = (
            _mebibytes(resources["requests"]["memory"]),
            _mebibytes(resources["limits"]["memory"]),
        )
        assert request >= peaks[role], f"{container.source}: requests {request} MiB, peak {peaks[role]} MiB"
        assert limit >= 1.25 * peaks[role], f"{container.source}: limit {limit} MiB too close to the peak"
