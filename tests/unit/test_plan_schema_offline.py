"""The plan schema is checked and used without the network (a T-room has none).

jsonschema 4.17 loads its vocabulary metaschemas lazily into a module-level list
without a lock; a thread that checks a schema while another is still loading
sees part of the list and fetches …/2020-12/meta/core from json-schema.org.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from datetime import datetime, timezone

import jsonschema.validators
import pytest
from jsonschema.exceptions import SchemaError

from bot.plan import model, schema
from bot.plan.schema import check_schema, load_schema, validate, validator

NOW = datetime(2025, 5, 1, 10, 4, tzinfo=timezone.utc)


@pytest.fixture
def no_network(monkeypatch):
    """Every connection off loopback and every lookup of a non-local name raises; returns the attempts."""
    attempts = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                local = ipaddress.ip_address(address[0]).is_loopback
            except ValueError:
                local = address[0] == "localhost"
            if not local:
                attempts.append(f"connect {address}")
                raise OSError(f"no network in a T-room: {address}")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "", "localhost", "127.0.0.1", "::1"):
            attempts.append(f"lookup {host}")
            raise socket.gaierror(f"no network in a T-room: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def cold_jsonschema(monkeypatch):
    """As in a fresh process: nothing built yet, jsonschema's vocabulary list not loaded."""
    monkeypatch.setattr(jsonschema.validators, "_VOCABULARIES", [])
    validator.cache_clear()
    yield
    validator.cache_clear()


def _full_plan() -> dict:
    prov = model.make_provenance(
        message_ids=["m-1"], session_id="s-1", recorded_at=NOW, client_confirmed=True, nlu_confidence=0.9
    )
    plan = model.new_plan("s-1", client_ref="K-1", language="nl", now=NOW)
    for path, value in [
        ("client_info.country_of_origin", "Irak"),
        ("sections.background.talents", "handel drijven, rekenen"),
        ("sections.children.has_children", True),
        ("provisional_decision.option", "stay_in_netherlands"),
        ("provisional_decision.importance", 7),
        ("sections.expectations_left_behind.meaning_for_client", ["shame", "guilt"]),
        ("sections.own_expectations.looking_forward_to", ["familie", "eten"]),
        ("sections.support.supporters", {"category": "family", "who": "broer", "where": "country_of_origin"}),
        ("consent.share_with_organisations", False),
    ]:
        plan = model.set_answer(plan, path, value, provenance=prov)
    plan = model.set_answer(plan, "sections.safety.worried", None, provenance=prov, status="declined")
    return model.add_action(
        plan,
        {
            "section": "practical_matters",
            "kind": "travel_document",
            "description": "laissez-passer aanvragen",
            "owner": "client",
        },
        provenance=prov,
    )


def test_validator_check_schema_and_a_full_plan_work_offline(no_network, cold_jsonschema):
    built = validator()
    check_schema(load_schema())
    check_schema(jsonschema.validators.Draft202012Validator.META_SCHEMA)
    validate(_full_plan())
    assert built is validator(), "built once"
    assert no_network == []


def test_the_metaschemas_come_from_the_installed_package_even_when_jsonschema_has_part_of_them(
    no_network, cold_jsonschema, monkeypatch
):
    # What a racing thread sees in jsonschema 4.17: the list begun, meta/core not in it yet.
    stores = dict(jsonschema.validators._store_schema_list())  # loads the real list …
    partial = [(uri, doc) for uri, doc in stores.items() if uri.endswith("/meta/applicator")]
    monkeypatch.setattr(jsonschema.validators, "_VOCABULARIES", partial)  # … then keeps a part
    validator.cache_clear()
    validator()
    assert "https://json-schema.org/draft/2020-12/meta/core" in schema.bundled_schemas()
    assert no_network == []


def test_a_remote_ref_raises_instead_of_being_fetched(no_network):
    remote = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "https://example.org/elsewhere.json",
    }
    resolver = schema.offline_resolver(remote)
    with pytest.raises(Exception, match="not be fetched"):
        resolver.resolve("https://example.org/elsewhere.json")
    assert no_network == []


def test_check_schema_still_rejects_a_broken_schema(no_network):
    with pytest.raises(SchemaError):
        check_schema({"type": 5})
    assert no_network == []


def test_fifty_threads_on_a_cold_cache_all_get_the_one_validator(no_network, cold_jsonschema):
    start = threading.Barrier(50)
    results, errors = [], []

    def first_session():
        start.wait()
        try:
            results.append(validator())
            validate(_full_plan())
        except Exception as exc:  # collected: a thread's exception would be lost
            errors.append(repr(exc))

    threads = [threading.Thread(target=first_session) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == 50 and len({id(v) for v in results}) == 1
    assert no_network == []
