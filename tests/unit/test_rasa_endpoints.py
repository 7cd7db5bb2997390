import pytest
import yaml

from bot.rasa_endpoints import EndpointConfigError, lock_store_config, render_endpoints, tracker_store_config


def test_embedded_default_has_only_the_action_server():
    config = yaml.safe_load(render_endpoints(action_server_url="http://127.0.0.1:5055/webhook"))
    assert config == {"action_endpoint": {"url": "http://127.0.0.1:5055/webhook"}}


def test_production_uses_sql_tracker_store_and_redis_lock_store():
    config = yaml.safe_load(
        render_endpoints(
            action_server_url="http://actions:5055/webhook",
            tracker_store_url="postgresql://coach:s%40cret@db.internal:6543/coach",
            lock_store_url="redis://:pw@redis:6380/2",
        )
    )
    assert config["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 6543,
        "db": "coach",
        "username": "coach",
        "password": "s@cret",
    }
    assert config["lock_store"] == {
        "type": "redis",
        "url": "redis",
        "port": 6380,
        "db": 2,
        "key_prefix": "coach",
        "password": "pw",
    }


def test_sqlite_tracker_store_keeps_the_path():
    assert tracker_store_config("sqlite:////var/lib/coach/rasa.db") == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": "/var/lib/coach/rasa.db",
    }


@pytest.mark.parametrize("url", ["mysql://x@h/db", "mongodb://h/db"])
def test_unsupported_tracker_store_is_refused(url):
    with pytest.raises(EndpointConfigError):
        tracker_store_config(url)


def test_lock_store_must_be_redis():
    with pytest.raises(EndpointConfigError):
        lock_store_config("memcached://h:11211")
