"""The real `tipline` command, as a newcomer, a reporter, a reviewer and an admin use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dialogs import load_script

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"

# The anonymous path of the shipped script, one answer per line.
ANSWERS = [
    "no",  # anyone in danger
    "He took £200 in cash to make my brother's arrest go away.",
    "1",  # category: money
    "police officer",
    "met",
    "PC Dawson",
    "don't know",  # rank
    "skip",  # number
    "skip",  # station
    "skip",  # description
    "last Tuesday evening",
    "yes",  # the date is right
    "Outside Brixton station",
    "in person",
    "on duty",
    "it happened to me",
    "no",  # anyone at risk
    "no",  # reported before
    "skip",  # evidence
    "done",  # evidence files: none
    "stay anonymous",
]


def tipline(
    args: list[str], data_dir: Path, stdin: str = "", module: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_REVIEWER_PASSPHRASE": PASSPHRASE,
    }
    command = [sys.executable, *(module or ["-m", "bot.cli"]), *args]
    return subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


def registered_key(key: Path, data_dir: Path) -> Path:
    """A reviewer key registered with a server on this machine (whose data is made first)."""
    if not (data_dir / "tipline.db").exists():
        started = tipline(["chat"], data_dir)
        assert started.returncode == 0, started.stderr
    done = tipline(["review", "keygen", "--out", str(key)], data_dir)
    assert done.returncode == 0, done.stderr
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    enrolled = tipline(["admin", "reviewers", "add", str(key.with_suffix(".pub"))], data_dir)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Registered reviewer key" in enrolled.stdout
    assert "otpauth://totp/" in enrolled.stdout
    return key


@pytest.fixture
def key_file(data_dir: Path, tmp_path: Path) -> Path:
    return registered_key(tmp_path / "alice.key", data_dir)


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def test_chat_stopped_half_way_continues_where_it_was(data_dir: Path, key_file: Path) -> None:
    first = tipline(["chat"], data_dir, lines(*ANSWERS[:5]))
    assert first.returncode == 0
    assert "sealed" not in first.stdout
    second = tipline(["chat"], data_dir, lines(*ANSWERS[5:], "confirm"))
    assert second.returncode == 0
    assert "Your report is sent and locked" in second.stdout
    script = load_script(ROOT / "dialogs/scripts/police-misconduct.yaml")
    resumed_at = second.stdout.split("\n\n")[0]
    assert resumed_at.startswith(script.by_id["officer_name"].say), "the 6th question again"
    assert script.by_id["welcome"].say.splitlines()[0] not in second.stdout, "no new welcome"


def test_secrets_are_created_once_with_mode_0600(data_dir: Path, key_file: Path) -> None:
    secret = data_dir / "server-secret"
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    before = secret.read_bytes()
    tipline(["chat"], data_dir, lines("cancel"))
    assert secret.read_bytes() == before
    assert oct(data_dir.stat().st_mode & 0o777) == "0o700"


def test_lint_of_the_shipped_script_is_clean() -> None:
    done = tipline(["dialogs", "lint", "dialogs/scripts/police-misconduct.yaml"], Path("unused"))
    assert done.returncode == 0, done.stdout
    assert "OK" in done.stdout


def test_lint_reports_file_and_line_and_fails(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    source = (ROOT / "dialogs/scripts/police-misconduct.yaml").read_text()
    broken.write_text(source.replace("next: who_role", "next: who_rol", 1))
    line = source.splitlines().index("    next: who_role") + 1
    done = tipline(["dialogs", "lint", str(broken)], tmp_path)
    assert done.returncode == 1
    assert f"{broken}:{line}:" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_graph_prints_mermaid() -> None:
    done = tipline(["dialogs", "graph", "dialogs/scripts/police-misconduct.yaml"], Path("unused"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("stateDiagram-v2")
    assert "danger --> emergency" in done.stdout
