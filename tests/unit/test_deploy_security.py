"""Issue 14.6 / 14.8 in the deployment files: production by default, the internal
token required, and NetworkPolicies that allow only API -> Rasa -> actions."""

from __future__ import annotations

import re

import yaml

from bot.settings import repo_root

ROOT = repo_root()


def _policies():
    docs = yaml.safe_load_all((ROOT / "deploy/k8s/network-policies.yaml").read_text(encoding="utf-8"))
    return {d["metadata"]["name"]: d for d in docs}


def test_images_run_in_production_mode():
    dockerfile = (ROOT / "docker/Dockerfile").read_text(encoding="utf-8")
    base = dockerfile.split("FROM base AS")[0]
    assert re.search(r"^\s*COACH_ENV=production\s*$", base, re.M), "the base image sets COACH_ENV=production"


def test_compose_and_k8s_need_the_internal_token():
    compose = (ROOT / "docker/docker-compose.yml").read_text(encoding="utf-8")
    assert "COACH_INTERNAL_TOKEN: ${COACH_INTERNAL_TOKEN:?" in compose
    secret = yaml.safe_load((ROOT / "deploy/k8s/secret.example.yaml").read_text(encoding="utf-8"))
    assert "COACH_INTERNAL_TOKEN" in secret["stringData"]


def test_network_policies_allow_only_api_to_rasa_to_actions():
    kustomization = yaml.safe_load((ROOT / "deploy/k8s/kustomization.yaml").read_text(encoding="utf-8"))
    assert "network-policies.yaml" in kustomization["resources"]
    policies = _policies()
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}

    def sources(name):
        return [
            peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
            for rule in policies[name]["spec"]["ingress"]
            for peer in rule["from"]
            if "podSelector" in peer
        ]

    assert sources("rasa-from-api") == ["api"]
    assert set(sources("actions-from-rasa")) == {"rasa", "api"}  # the API only for /health
    # Nothing else opens ingress to rasa or actions.
    for name, policy in policies.items():
        if name in ("rasa-from-api", "actions-from-rasa") or "ingress" not in policy["spec"]:
            continue
        component = policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component")
        assert component not in ("rasa", "actions"), name
