"""The set-up pieces behind `make run`: Python finder, fingerprint, CLI parser."""

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli import training
from cli.main import build_parser
from cli.paths import REPO_ROOT

FINDER = REPO_ROOT / "scripts" / "find_python310.sh"


def _fake_python(folder: Path, name: str, version: str) -> Path:
    path = folder / name
    major, minor = version.split(".")
    path.write_text(
        f"#!/bin/sh\n"
        f'[ "$1" = -c ] && exec {sys.executable} -c '
        f'"import sys; sys.exit(0 if ({major},{minor}) == (3, 10) else 1)"\n'
    )
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_finder_prefers_python310_on_path(tmp_path):
    fake = _fake_python(tmp_path, "python3.10", "3.10")
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "none")}
    out = subprocess.run(["bash", str(FINDER)], env=env, capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip() == str(fake)


def test_finder_falls_back_to_pyenv(tmp_path):
    bindir = tmp_path / "pyenv" / "versions" / "3.10.99" / "bin"
    bindir.mkdir(parents=True)
    fake = _fake_python(bindir, "python3.10", "3.10")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    out = subprocess.run(["bash", str(FINDER)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(fake)


def test_finder_stops_with_a_clear_message_without_python310(tmp_path):
    _fake_python(tmp_path, "python3", "3.11")
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "none")}
    # Hide any real python3.10 in /usr/bin by pointing PATH at a folder without it.
    if Path("/usr/bin/python3.10").exists():
        pytest.skip("this machine has /usr/bin/python3.10; the negative case cannot be isolated")
    out = subprocess.run(["bash", str(FINDER)], env=env, capture_output=True, text=True)
    assert out.returncode == 1
    assert "No Python 3.10 found" in out.stderr
    assert "pyenv install 3.10" in out.stderr


def test_fingerprint_changes_with_training_data(tmp_path, monkeypatch):
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "config.yml").write_text("language: nl\n")
    (tmp_path / "domain.yml").write_text("version: '3.1'\n")
    nlu = tmp_path / "data" / "nlu" / "greet.yml"
    nlu.write_text("nlu: []\n")
    monkeypatch.setattr(training, "REPO_ROOT", tmp_path)
    first = training.fingerprint()
    assert first == training.fingerprint()
    nlu.write_text("nlu:\n- intent: greet\n")
    assert training.fingerprint() != first
    # Files that do not shape the model leave it alone.
    (tmp_path / "README.md").write_text("x")
    assert training.fingerprint() == training.fingerprint()


def test_model_name_carries_the_fingerprint():
    assert training.model_path("abc123").name == "coach-abc123.tar.gz"


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["run", "--rasa-servers", "2", "--production"],
        ["train", "--force"],
        ["db", "upgrade"],
        ["user", "add", "anna", "--role", "counsellor", "--password", "x"],
        ["user", "disable", "anna"],
        ["user", "reset-password", "anna"],
        ["kiosk-key", "create"],
    ],
)
def test_cli_accepts_the_documented_commands(argv):
    assert build_parser().parse_args(argv).func


def test_cli_refuses_an_unknown_role():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["user", "add", "x", "--role", "boss"])


def test_user_commands_against_a_real_database(tmp_path, monkeypatch, capsys):
    from bot.db.engine import session_scope
    from bot import accounts
    from cli.main import main

    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    from bot.settings import get_settings

    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 0
    assert main(["user", "add", "Anna", "--role", "counsellor", "--password", "geheim-123"]) == 0
    with session_scope() as db:
        assert accounts.authenticate(db, "anna", "geheim-123") is not None
    # A second add of the same name is a clear error, not a traceback.
    assert main(["user", "add", "anna", "--role", "trainer", "--password", "geheim-456"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["user", "reset-password", "anna", "--password", "nieuw-wachtwoord"]) == 0
    assert main(["user", "disable", "anna"]) == 0
    with session_scope() as db:
        assert accounts.authenticate(db, "anna", "nieuw-wachtwoord") is None
    assert main(["user", "disable", "nobody"]) == 2
    get_settings.cache_clear()
