"""Read the deployment files (docker/, deploy/k8s/) into plain records the tests check.

There is no Docker engine or Kubernetes cluster here, so the files are kept
correct by reading them: every container's command, ports and probes, from the
compose file, the Kubernetes manifests and the Dockerfile alike.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIRS = (REPO_ROOT / "docker", REPO_ROOT / "deploy" / "k8s")
DOCKERFILE = REPO_ROOT / "docker" / "Dockerfile"
COMPOSE_FILE = REPO_ROOT / "docker" / "docker-compose.yml"
K8S_DIR = REPO_ROOT / "deploy" / "k8s"
POD_KINDS = ("Deployment", "StatefulSet", "Job", "DaemonSet", "CronJob")


@dataclass
class Probe:
    """An HTTP (or TCP) check: which path on which port."""

    kind: str  # readiness | liveness | startup | healthcheck
    path: Optional[str]
    port: Optional[int]


@dataclass
class Container:
    source: str  # "compose:api", "k8s:StatefulSet/rasa", "Dockerfile:rasa"
    command: List[str]
    ports: List[int] = field(default_factory=list)
    probes: List[Probe] = field(default_factory=list)
    raw: Dict[str, Any] = field(default_factory=dict)

    @property
    def is_coach(self) -> bool:
        return bool(self.command) and self.command[0] == "coach"


def yaml_files() -> List[Path]:
    return sorted(p for d in DEPLOY_DIRS for p in d.rglob("*") if p.suffix in (".yml", ".yaml"))


def load_all(path: Path) -> List[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


# --- compose -----------------------------------------------------------------

_URL = re.compile(r"https?://[^/:\s]+:(\d+)(/[^\s\"']*)?")


def _url_probe(kind: str, text: str) -> Optional[Probe]:
    match = _URL.search(text)
    if not match:
        return None
    return Probe(kind, match.group(2) or "/", int(match.group(1)))


def compose_services() -> Dict[str, Dict[str, Any]]:
    return load_all(COMPOSE_FILE)[0]["services"]


def compose_containers() -> List[Container]:
    found = []
    for name, service in compose_services().items():
        command = service.get("command") or []
        if isinstance(command, str):
            command = shlex.split(command)
        probes = []
        test = (service.get("healthcheck") or {}).get("test")
        if test and not (service.get("healthcheck") or {}).get("disable"):
            probe = _url_probe("healthcheck", " ".join(test) if isinstance(test, list) else test)
            if probe:
                probes.append(probe)
        ports = [int(str(p).split(":")[-1]) for p in service.get("ports") or []]
        found.append(Container(f"compose:{name}", list(command), ports, probes, service))
    return found


# --- Kubernetes --------------------------------------------------------------


def k8s_documents() -> List[Dict[str, Any]]:
    return [
        doc
        for path in sorted(K8S_DIR.glob("*.y*ml"))
        for doc in load_all(path)
        if isinstance(doc, dict) and "kind" in doc and "apiVersion" in doc and doc["kind"] != "Kustomization"
    ]


def k8s_by_kind(kind: str) -> List[Dict[str, Any]]:
    return [doc for doc in k8s_documents() if doc["kind"] == kind]


def pod_spec(workload: Dict[str, Any]) -> Dict[str, Any]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def _k8s_port(container: Dict[str, Any], port: Any) -> Optional[int]:
    if isinstance(port, int):
        return port
    for declared in container.get("ports") or []:
        if declared.get("name") == port:
            return int(declared["containerPort"])
    return None


def _k8s_probes(container: Dict[str, Any]) -> List[Probe]:
    probes = []
    for kind in ("readiness", "liveness", "startup"):
        probe = container.get(f"{kind}Probe")
        if not probe:
            continue
        check = probe.get("httpGet") or probe.get("tcpSocket") or {}
        probes.append(Probe(kind, check.get("path"), _k8s_port(container, check.get("port"))))
    return probes


def k8s_containers() -> List[Container]:
    found = []
    for workload in k8s_documents():
        if workload["kind"] not in POD_KINDS:
            continue
        spec = pod_spec(workload)
        for container in (spec.get("initContainers") or []) + spec["containers"]:
            command = list(container.get("command") or []) + list(container.get("args") or [])
            ports = [int(p["containerPort"]) for p in container.get("ports") or []]
            found.append(
                Container(
                    f"k8s:{workload['kind']}/{workload['metadata']['name']}",
                    command,
                    ports,
                    _k8s_probes(container),
                    container,
                )
            )
    return found


# --- Dockerfile --------------------------------------------------------------


def dockerfile_stages() -> Dict[str, List[Tuple[str, str]]]:
    """Instructions per named stage: {stage: [(INSTRUCTION, rest), ...]} (continuations joined)."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    stages: Dict[str, List[Tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            parts = rest.split()
            current = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else parts[0]
            stages[current] = [("FROM", parts[0])]
        elif current is not None:
            stages[current].append((instruction, rest.strip()))
    return stages


def stage_inherits(stages: Dict[str, List[Tuple[str, str]]], stage: str) -> Iterator[Tuple[str, str]]:
    """A stage's instructions with those of the stages it is built FROM, oldest first."""
    own = stages[stage]
    parent = own[0][1]
    if parent in stages:
        yield from stage_inherits(stages, parent)
    yield from own


def dockerfile_containers() -> List[Container]:
    stages = dockerfile_stages()
    found = []
    for stage in stages:
        command: List[str] = []
        probes, ports = [], []
        for instruction, rest in stage_inherits(stages, stage):
            if instruction == "CMD":
                command = json.loads(rest)
            elif instruction == "HEALTHCHECK":
                probe = _url_probe("healthcheck", rest)
                probes = [probe] if probe else []
            elif instruction == "EXPOSE":
                ports = [int(p.split("/")[0]) for p in rest.split()]
        if command:
            found.append(Container(f"Dockerfile:{stage}", command, ports, probes))
    return found


def dockerfile_run_commands() -> List[List[str]]:
    """`coach ...` commands the image build runs (`RUN coach train && ...`)."""
    found = []
    for instructions in dockerfile_stages().values():
        for instruction, rest in instructions:
            if instruction == "RUN":
                for part in re.split(r"&&|;", rest):
                    words = shlex.split(part)
                    if words and words[0] == "coach":
                        found.append(words)
    return found


def all_containers() -> List[Container]:
    return compose_containers() + k8s_containers() + dockerfile_containers()
