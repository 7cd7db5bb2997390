"""Settings: defaults, env parsing, and the production guard."""

import pytest
from pydantic import ValidationError

from bot.settings import (
    DEV_JWT_SECRET,
    DEV_RASA_TOKEN,
    InsecureProductionSettings,
    Settings,
    get_settings,
    repo_root,
)

GOOD_PRODUCTION = {
    "COACH_ENV": "production",
    "COACH_JWT_SECRET": "a-long-random-secret-from-the-vault",
    "COACH_RASA_TOKEN": "another-random-token-of-32-chars",
    "COACH_INTERNAL_TOKEN": "internal-random-token-3f9a1c7e5b",
    "COACH_DATABASE_URL": "postgresql://coach@db:5432/coach",
}


def test_defaults_follow_the_architecture_table(clean_env):
    settings = get_settings()
    assert settings.env == "dev"
    assert settings.database_url == f"sqlite:///{repo_root() / 'var' / 'coach.db'}"
    assert (settings.api_host, settings.api_port) == ("127.0.0.1", 8000)
    assert settings.rasa_urls == ["http://127.0.0.1:5005"]
    assert settings.rasa_token == DEV_RASA_TOKEN
    assert settings.action_server_url == "http://127.0.0.1:5055/webhook"
    assert settings.jwt_secret == DEV_JWT_SECRET
    assert settings.jwt_expire_minutes == 480
    assert settings.kiosk_key is None
    assert settings.tracker_store_url is None and settings.lock_store_url is None
    assert settings.max_message_chars == 2000
    assert settings.rasa_timeout_s == 15
    assert settings.retention_days == 365
    assert settings.organisation_name == "Toekomstcoach T-room"


def test_repo_root_holds_the_bot_package():
    assert (repo_root() / "bot" / "settings.py").is_file()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("http://a:5005", ["http://a:5005"]),
        ("http://a:5005, http://b:5005/", ["http://a:5005", "http://b:5005"]),
        ('["http://a:5005","http://b:5005"]', ["http://a:5005", "http://b:5005"]),
    ],
    ids=["one", "comma-separated", "json-list"],
)
def test_rasa_urls_from_the_environment(clean_env, raw, expected):
    clean_env.setenv("COACH_RASA_URLS", raw)
    assert get_settings().rasa_urls == expected
    assert get_settings().rasa_url == expected[0]


def test_empty_rasa_urls_is_an_error(clean_env):
    clean_env.setenv("COACH_RASA_URLS", " , ")
    with pytest.raises(ValidationError, match="at least one URL"):
        Settings()


def test_environment_overrides_and_cache_clear(clean_env):
    clean_env.setenv("COACH_API_PORT", "18080")
    clean_env.setenv("COACH_KIOSK_KEY", "kiosk-123-Xq8vR2mT7pLw4nZs")
    assert get_settings().api_port == 18080
    clean_env.setenv("COACH_API_PORT", "18081")
    assert get_settings().api_port == 18080, "cached until cache_clear()"
    get_settings.cache_clear()
    assert get_settings().api_port == 18081
    assert get_settings().kiosk_key == "kiosk-123-Xq8vR2mT7pLw4nZs"


def test_bad_values_are_refused(clean_env):
    clean_env.setenv("COACH_API_PORT", "not-a-port")
    with pytest.raises(ValidationError, match="api_port"):
        Settings()
    clean_env.setenv("COACH_API_PORT", "8000")
    clean_env.setenv("COACH_ENV", "staging")
    with pytest.raises(ValidationError, match="env"):
        Settings()


def test_secrets_stay_out_of_repr(clean_env):
    clean_env.setenv("COACH_JWT_SECRET", "top-secret-value")
    clean_env.setenv("COACH_KIOSK_KEY", "kiosk-secret-value-Xq8vR2mT7")
    text = repr(get_settings())
    assert "top-secret-value" not in text and "kiosk-secret-value" not in text


def test_production_with_real_secrets_starts(clean_env):
    for name, value in GOOD_PRODUCTION.items():
        clean_env.setenv(name, value)
    settings = get_settings()
    assert settings.env == "production"
    settings.check_production()  # no exception


@pytest.mark.parametrize(
    "override, complaint",
    [
        ({"COACH_JWT_SECRET": DEV_JWT_SECRET}, "COACH_JWT_SECRET"),
        ({"COACH_RASA_TOKEN": DEV_RASA_TOKEN}, "COACH_RASA_TOKEN"),
        ({"COACH_DATABASE_URL": "sqlite:////tmp/coach.db"}, "SQLite"),
    ],
    ids=["dev-jwt-secret", "dev-rasa-token", "sqlite"],
)
def test_production_refuses_dev_defaults(clean_env, override, complaint):
    for name, value in {**GOOD_PRODUCTION, **override}.items():
        clean_env.setenv(name, value)
    with pytest.raises(ValidationError, match=complaint):
        Settings()


def test_production_with_all_defaults_names_every_problem(clean_env):
    clean_env.setenv("COACH_ENV", "production")
    with pytest.raises(ValidationError) as caught:
        Settings()
    message = str(caught.value)
    for complaint in ("COACH_JWT_SECRET", "COACH_RASA_TOKEN", "SQLite"):
        assert complaint in message


def test_check_production_catches_values_changed_after_start(clean_env):
    for name, value in GOOD_PRODUCTION.items():
        clean_env.setenv(name, value)
    settings = Settings()
    settings.__dict__["jwt_secret"] = DEV_JWT_SECRET
    with pytest.raises(InsecureProductionSettings, match="COACH_JWT_SECRET"):
        settings.check_production()


def test_dev_and_test_accept_dev_defaults(clean_env):
    for env in ("dev", "test"):
        clean_env.setenv("COACH_ENV", env)
        Settings().check_production()


# --- issue 14.5 / 14.6: strong secrets ------------------------------------------------------


@pytest.mark.parametrize("key", ["weak", "kiosk", "short-key-123", "a" * 30, "changeme"])
def test_weak_kiosk_keys_are_refused_in_every_environment(clean_env, key):
    for env in ("dev", "test", "production"):
        for name, value in GOOD_PRODUCTION.items():
            clean_env.setenv(name, value)
        clean_env.setenv("COACH_ENV", env)
        clean_env.setenv("COACH_KIOSK_KEY", key)
        with pytest.raises(ValidationError, match="COACH_KIOSK_KEY"):
            Settings()


@pytest.mark.parametrize(
    "override, complaint",
    [
        ({"COACH_JWT_SECRET": "short-secret-1234"}, "COACH_JWT_SECRET is shorter"),
        ({"COACH_JWT_SECRET": "secret"}, "COACH_JWT_SECRET is a known"),
        ({"COACH_RASA_TOKEN": "tok-12345"}, "COACH_RASA_TOKEN is shorter"),
        ({"COACH_INTERNAL_TOKEN": "dev-internal-token"}, "COACH_INTERNAL_TOKEN is the development default"),
        ({"COACH_INTERNAL_TOKEN": "x" * 40}, "COACH_INTERNAL_TOKEN repeats"),
    ],
    ids=["short-jwt", "known-jwt", "short-rasa-token", "dev-internal-token", "monotone-internal-token"],
)
def test_production_refuses_known_or_short_secrets(clean_env, override, complaint):
    for name, value in {**GOOD_PRODUCTION, **override}.items():
        clean_env.setenv(name, value)
    with pytest.raises(ValidationError, match=complaint):
        Settings()


def test_api_docs_only_outside_production(clean_env):
    assert Settings(env="dev").api_docs and Settings(env="test").api_docs
    for name, value in GOOD_PRODUCTION.items():
        clean_env.setenv(name, value)
    assert not Settings().api_docs
