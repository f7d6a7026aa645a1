"""A real `tipline chat` process SIGKILLed between turns and during the confirming turn."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from bot.serverkeys import load_existing
from dialogs import load_script
from handoff.receipts import receipt_hash
from handoff.workstation import load_private_key, open_sealed_report
from tests.bot.test_cli import ANSWERS, PASSPHRASE, ROOT, lines, registered_key, tipline

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


def env_for(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_REVIEWER_PASSPHRASE": PASSPHRASE,
    }


def ledger_rows(data_dir: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{data_dir / 'tipline.db'}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT count(*) FROM ledger").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def queue_rows(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        return int(db.execute("SELECT count(*) FROM queue").fetchone()[0])


def sealed_answers(data_dir: Path, key: Path) -> dict[str, object]:
    """The answers of the one sealed report, opened with the reviewer's key."""
    with closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        [(reference, envelope)] = db.execute("SELECT reference, envelope FROM queue").fetchall()
    opened = open_sealed_report(reference, envelope, load_private_key(key, PASSPHRASE.encode()))
    return {a["step"]: a["value"] for a in opened.report["answers"]}


def test_killed_between_turns_the_conversation_continues(tmp_path: Path) -> None:
    data_dir, key = tmp_path / "var", tmp_path / "r.key"
    registered_key(key, data_dir)
    before = ledger_rows(data_dir)  # the server's first start opened a conversation
    with subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(data_dir),
        cwd=ROOT,
        text=True,
    ) as proc:
        assert proc.stdin is not None
        proc.stdin.write(lines(*ANSWERS[:7]))
        proc.stdin.flush()
        # Opening the chat and 7 answers = 8 committed turns; then kill it as it waits.
        deadline = time.monotonic() + 60
        while ledger_rows(data_dir) < before + 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ledger_rows(data_dir) == before + 8
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    rest = tipline(["chat"], data_dir, lines(*ANSWERS[7:], "confirm"))
    assert rest.returncode == 0, rest.stderr
    first_question = rest.stdout.split("\n\n")[0]
    number = load_script(ROOT / "dialogs/scripts/police-misconduct.yaml").by_id["number"].say
    assert first_question.startswith(number), "resumed at the 8th question"
    assert "Your report is sent and locked" in rest.stdout
    assert queue_rows(data_dir) == 1
    got = sealed_answers(data_dir, key)
    assert got["what_happened"] == ANSWERS[1]
    assert got["officer_name"] == "PC Dawson"
    assert got["rank"] == {"unknown": True}


def test_killed_before_the_confirming_commit_seals_once_after_restart(tmp_path: Path) -> None:
    data_dir, key = tmp_path / "var", tmp_path / "r.key"
    registered_key(key, data_dir)
    crashed = tipline(
        ["chat"],
        data_dir,
        lines(*ANSWERS, "confirm"),
        module=["-m", "tests.bot.crashrun", "before-seal"],
    )
    assert crashed.returncode == -signal.SIGKILL
    assert "sealed" not in crashed.stdout
    assert queue_rows(data_dir) == 0, "nothing was sealed: the turn did not commit"

    again = tipline(["chat"], data_dir, lines("confirm"))
    assert "Your report is sent and locked" in again.stdout, "the read-back was still there"
    assert queue_rows(data_dir) == 1
    assert sealed_answers(data_dir, key)["officer_name"] == "PC Dawson"


def stored_receipt(data_dir: Path) -> tuple[str, bytes]:
    """The one sealed report's reference and the receipt hash stored for it."""
    with closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        [(reference, digest)] = db.execute("SELECT reference, receipt_hash FROM queue").fetchall()
    return reference, bytes(digest)


def works(receipt: str, data_dir: Path) -> bool:
    """Whether `receipt` matches the stored hash, as the server checks one."""
    key = load_existing(data_dir / "server-secret").receipt
    return receipt_hash(receipt, key) == stored_receipt(data_dir)[1]


def receipt_in(text: str) -> str:
    found = RECEIPT.findall(text)
    assert len(found) == 1, f"one receipt shown, not {found}"
    return found[0]


def test_killed_after_the_confirming_commit_the_next_run_shows_the_reference_and_a_receipt(
    tmp_path: Path,
) -> None:
    data_dir, key = tmp_path / "var", tmp_path / "r.key"
    registered_key(key, data_dir)
    crashed = tipline(
        ["chat"],
        data_dir,
        lines(*ANSWERS, "confirm"),
        module=["-m", "tests.bot.crashrun", "after-seal"],
    )
    assert crashed.returncode == -signal.SIGKILL
    assert not RECEIPT.search(crashed.stdout), "killed before the closing was printed"
    reference, lost = stored_receipt(data_dir)

    again = tipline(["chat"], data_dir, lines("hello?"))
    assert again.returncode == 0, again.stderr
    assert reference in again.stdout
    assert "Write the secret code down" in again.stdout
    receipt = receipt_in(again.stdout)
    assert works(receipt, data_dir), "the receipt shown is the one the server checks"
    assert stored_receipt(data_dir)[1] != lost, "the receipt nobody saw no longer works"
    assert queue_rows(data_dir) == 1
    assert sealed_answers(data_dir, key)["what_happened"] == ANSWERS[1]

    after = tipline(["chat"], data_dir, lines("cancel"))
    assert "Tipline" in after.stdout.split("\n\n")[0], "once shown, a new conversation begins"
    assert reference not in after.stdout
    assert not RECEIPT.search(after.stdout)
    assert works(receipt, data_dir), "and the receipt shown stays good"


def test_killed_after_the_closing_was_printed_the_next_run_replaces_the_receipt(
    tmp_path: Path,
) -> None:
    """Printed but not known to be seen: a new receipt is shown and the first stops working."""
    data_dir, key = tmp_path / "var", tmp_path / "r.key"
    registered_key(key, data_dir)
    crashed = tipline(
        ["chat"],
        data_dir,
        lines(*ANSWERS, "confirm"),
        module=["-m", "tests.bot.crashrun", "after-shown"],
    )
    assert crashed.returncode == -signal.SIGKILL
    first = receipt_in(crashed.stdout)
    assert works(first, data_dir)

    again = tipline(["chat"], data_dir, "")
    assert again.returncode == 0, again.stderr
    second = receipt_in(again.stdout)
    assert second != first
    assert stored_receipt(data_dir)[0] in again.stdout
    assert "no longer works" in again.stdout, "the reporter is told the first one stopped"
    assert works(second, data_dir)
    assert not works(first, data_dir)
    assert queue_rows(data_dir) == 1
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    for receipt in (first, second):
        assert receipt.encode() not in raw, "no receipt is ever written"
        assert receipt.replace(" ", "").encode() not in raw
