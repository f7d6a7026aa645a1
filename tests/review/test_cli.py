"""Reviewers from their own machines: two workstations, a running server, the real commands.

The issue's "Done when": two reviewers on two workstations (empty folders
holding only their key files) each log in with TOTP, claim, read, annotate,
change status and check the audit; the server's database and secret open none
of the notes; a workstation folder holds no server file afterwards.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import pyotp
import pytest

from bot.app import open_app
from bot.messages import Attachment
from bot.settings import Settings
from handoff.envelope import open_sealed, read_header
from handoff.workstation import load_private_key
from locales.errors import SealError
from tests.bot.test_cli import ANSWERS, PASSPHRASE, lines
from tests.bot.test_evidence import CANARY, FILENAME, PDF, FileTalk, photo_with_gps, pixels
from tests.bot.test_paths import ANONYMOUS
from tests.web.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"TL-[0-9A-Z]{4}-[0-9A-Z]{4}")
ACCOUNT = "He took £200 in cash to make my brother's arrest go away."


def tipline(
    args: list[str], env: dict[str, str], stdin: str = "", cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@dataclass
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]
    printed: str

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        return tipline(["admin", "reviewers", *args], self.env)

    def report(self) -> str:
        chat = tipline(["chat"], self.env, lines(*ANSWERS, "confirm"))
        assert chat.returncode == 0, chat.stderr
        found = REFERENCE.search(chat.stdout)
        assert found, chat.stdout
        return found.group(0)


@dataclass
class Workstation:
    folder: Path
    name: str
    server: Server
    totp: str = ""

    @property
    def key(self) -> Path:
        return self.folder / f"{self.name}.key"

    def env(self, **extra: str) -> dict[str, str]:
        # A data folder that does not exist: a review command that opened one would make it.
        return {
            **os.environ,
            "TIPLINE_DATA_DIR": str(self.folder / "var"),
            "TIPLINE_REVIEWER_PASSPHRASE": PASSPHRASE,
            "TIPLINE_SERVER_URL": self.server.url,
            **extra,
        }

    def review(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        done = tipline(
            ["review", *args, "--key", str(self.key)], self.env(**extra), cwd=self.folder
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def enrol(self) -> None:
        made = tipline(["review", "keygen", "--out", str(self.key)], self.env(), cwd=self.folder)
        assert made.returncode == 0, made.stderr
        added = self.server.admin("add", str(self.key.with_suffix(".pub")))
        assert added.returncode == 0, added.stderr
        uri = re.search(r"otpauth://totp/\S+", added.stdout)
        assert uri is not None
        self.totp = pyotp.parse_uri(uri.group(0)).secret  # type: ignore[attr-defined]

    def login(self, code: str | None = None) -> subprocess.CompletedProcess[str]:
        code = code or pyotp.TOTP(self.totp).now()
        return self.review("login", TIPLINE_REVIEWER_TOTP=code)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("server") / "var"
    review_port = free_port()
    env = {
        **os.environ,
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_PORT": str(free_port()),
        "TIPLINE_REVIEW_PORT": str(review_port),
        "TIPLINE_LOG_LEVEL": "WARNING",
    }
    env.pop("TIPLINE_REVIEWER_PASSPHRASE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    printed = ""
    while "Tipline is running at" not in printed:
        line = process.stdout.readline()
        assert line, f"tipline run stopped: {printed}"
        printed += line
    try:
        yield Server(f"http://127.0.0.1:{review_port}", data_dir, env, printed)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        process.stdout.close()


def test_two_reviewers_on_two_workstations_work_a_report_through(
    server: Server, tmp_path: Path
) -> None:
    assert "DEMO reviewer key created" in server.printed, "a fresh local install"
    alice = Workstation(tmp_path / "alice-laptop", "alice", server)
    bob = Workstation(tmp_path / "bob-laptop", "bob", server)
    for ws in (alice, bob):
        ws.folder.mkdir()
        ws.enrol()
        logged_in = ws.login()
        assert logged_in.returncode == 0, logged_in.stderr
        assert "Logged in to" in logged_in.stdout
    first, second = server.report(), server.report()

    shown = alice.review("next")
    assert shown.returncode == 0, shown.stderr
    assert first in shown.stdout
    assert ACCOUNT in shown.stdout
    assert "Metropolitan Police Service" in shown.stdout
    bobs = bob.review("next", "--json")
    assert second in bobs.stdout, "the first is Alice's now"

    note = "Rang the PSD; they will call back on Monday."
    acked = alice.review("status", first, "acknowledged", "--note", note)
    assert acked.returncode == 0, acked.stderr
    refused = bob.review("status", first, "in_review")
    assert refused.returncode == 1
    assert "claimed by another reviewer" in refused.stderr
    assert alice.review("status", first, "referred", "--to", "iopc").returncode == 0
    exported = alice.review("export", first, "--pdf", str(alice.folder / "referral.pdf"))
    assert exported.returncode == 0, exported.stderr
    assert "contact details left out" in exported.stdout
    assert alice.review("done", first).returncode == 0
    read = bob.review("open", first)
    assert note in read.stdout, "Bob decrypts Alice's note on his machine"
    assert f"{second}: same force and a close match of the name" in read.stdout, "matched"
    assert ACCOUNT in read.stdout
    closed = bob.review("status", first, "closed", "--outcome", "action_taken")
    assert "now closed" in closed.stdout
    queue = alice.review("queue")
    assert second in queue.stdout
    assert first not in queue.stdout, "done and closed: no longer in the queue"
    due = bob.review("due")
    assert due.returncode == 0, "nothing is overdue on the day of sealing"

    for ws in (alice, bob):
        audit = ws.review("audit", "--verify")
        assert audit.returncode == 0, audit.stdout
        assert "chain intact" in audit.stdout
        assert re.search(r"Head: seq \d+ [0-9a-f]{64}", audit.stdout)

    indexed = alice.review("index")
    assert "Indexed 2 report(s); 2 name an officer another report names." in indexed.stdout
    _the_server_opens_no_note(server, note)
    for ws in (alice, bob):
        left = sorted(p.name for p in ws.folder.iterdir() if p.name != "referral.pdf")
        name = ws.name
        assert left == [f"{name}.{s}" for s in ("head", "index", "key", "pub", "token")]
        assert oct((ws.folder / f"{name}.token").stat().st_mode & 0o777) == "0o600"


def _the_server_opens_no_note(server: Server, note: str) -> None:
    database = (server.data_dir / "tipline.db").read_bytes()
    assert note.encode() not in database
    with closing(sqlite3.connect(server.data_dir / "tipline.db")) as db:
        envelopes = [bytes(r[0]) for r in db.execute("SELECT envelope FROM notes")]
        keys = {r[0]: bool(r[1]) for r in db.execute("SELECT key_id, demo FROM reviewer_keys")}
    assert envelopes
    # The only private key on the server is the (retired) DEMO key; no note is sealed to it.
    demo = load_private_key(
        server.data_dir / "demo-reviewer.key",
        (server.data_dir / "demo-reviewer.passphrase").read_bytes().strip(),
    )
    assert keys[demo.key_id]
    for envelope in envelopes:
        assert demo.key_id not in read_header(envelope).recipients
        with pytest.raises(SealError):
            open_sealed(envelope, demo)


def test_login_failures_are_one_clear_line(server: Server, tmp_path: Path) -> None:
    carol = Workstation(tmp_path / "carol", "carol", server)
    carol.folder.mkdir()
    carol.enrol()
    wrong = carol.login("000000")
    assert wrong.returncode == 1
    assert wrong.stderr.startswith("error: login refused")
    passphrase = carol.review(
        "login", TIPLINE_REVIEWER_PASSPHRASE="nope", TIPLINE_REVIEWER_TOTP="1"
    )
    assert passphrase.returncode == 1
    assert passphrase.stderr.startswith("error: wrong passphrase")
    not_yet = carol.review("queue")
    assert not_yet.returncode == 1
    assert "not logged in" in not_yet.stderr
    retired = server.admin("retire", load_private_key(carol.key, PASSPHRASE.encode()).key_id)
    assert retired.returncode == 0


def test_audit_verify_names_a_deleted_or_changed_report_and_a_cut_log(
    server: Server, tmp_path: Path
) -> None:
    """Issue 13, point 3: each passed `audit --verify` before."""
    dave = Workstation(tmp_path / "dave", "dave", server)
    dave.folder.mkdir()
    dave.enrol()
    assert dave.login().returncode == 0
    gone, changed = server.report(), server.report()
    intact = dave.review("audit", "--verify")
    assert intact.returncode == 0, intact.stdout
    head = re.search(r"Head: seq \d+ ([0-9a-f]{64})", intact.stdout)
    assert head is not None
    with closing(sqlite3.connect(server.data_dir / "tipline.db")) as db, db:
        db.execute("DELETE FROM queue WHERE reference = ?", (gone,))
        db.execute("UPDATE queue SET status = 'done' WHERE reference = ?", (changed,))
    audit = dave.review("audit", "--verify")
    assert audit.returncode == 1
    assert f"{gone}: sealed, but its queue row is missing" in audit.stdout
    assert f"{changed}: the queue says done" in audit.stdout
    assert "does NOT verify" in audit.stdout

    # The last entry cut off together with its report: the chain alone still links.
    last = server.report()
    with closing(sqlite3.connect(server.data_dir / "tipline.db")) as db, db:
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
        db.execute("DELETE FROM queue WHERE reference = ?", (last,))
        db.execute(
            "INSERT INTO queue (reference, envelope, priority, sealed_at, receipt_hash,"
            " script_id, script_version) SELECT ?, envelope, priority, sealed_at, x'99',"
            " script_id, script_version FROM queue LIMIT 1",
            ("TL-FAKE-0000",),
        )
    cut = dave.review("audit", "--verify", "--head", head.group(1))
    assert cut.returncode == 1
    assert "TL-FAKE-0000: in the queue, but the audit log never sealed it" in cut.stdout
    assert "Head: seq" in cut.stdout


def test_the_reviewer_saves_evidence_files_only_when_asked(server: Server, tmp_path: Path) -> None:
    erin = Workstation(tmp_path / "erin", "erin", server)
    erin.folder.mkdir()
    erin.enrol()
    assert erin.login().returncode == 0
    original = photo_with_gps()

    async def report_with_a_photo() -> None:
        """A reporter on the web chat's engine, beside the running server (one database)."""
        settings = replace(Settings(), data_dir=server.data_dir)
        async with open_app(settings) as app:
            talk = FileTalk(app.conversations, "photo-reporter")
            await talk.until("evidence_files", ANONYMOUS)
            await talk.send_files(Attachment("image/jpeg", original, FILENAME))
            await talk.send_files(Attachment("application/pdf", PDF, "statement.pdf"))
            await talk.send("done")
            await talk.until(None, ANONYMOUS)

    asyncio.run(report_with_a_photo())
    shown = erin.review("next")
    while shown.returncode == 0 and "Files: 2" not in shown.stdout and "TL-" in shown.stdout:
        shown = erin.review("next")  # reports of the other tests come first
    assert "Files: 2" in shown.stdout, shown.stdout
    reference = REFERENCE.search(shown.stdout)
    assert reference is not None
    ref = reference.group(0)
    assert f"tipline review open {ref} --key" in shown.stdout

    folder = erin.folder / "evidence"
    saved = erin.review("open", ref, "--save-files", str(folder))
    assert saved.returncode == 0, saved.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{ref}-1.jpg", f"{ref}-2.pdf"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert str(path) in saved.stdout
    photo = folder / f"{ref}-1.jpg"
    assert pixels(photo.read_bytes()) == pixels(original)
    assert CANARY.encode() not in photo.read_bytes()
    assert (folder / f"{ref}-2.pdf").read_bytes() == PDF
    assert "Sam_Jones" not in saved.stdout


def test_review_ui_prints_a_one_time_address_that_opens_the_queue(
    server: Server, tmp_path: Path
) -> None:
    fay = Workstation(tmp_path / "fay", "fay", server)
    fay.folder.mkdir()
    fay.enrol()
    assert fay.login().returncode == 0
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "bot.cli",
        "review",
        "ui",
        "--key",
        str(fay.key),
        "--port",
        str(port),
    ]
    with subprocess.Popen(
        command, env=fay.env(), cwd=fay.folder, stdout=subprocess.PIPE, text=True
    ) as app:
        assert app.stdout is not None
        line = app.stdout.readline()
        try:
            address = re.search(r"http://127\.0\.0\.1:\d+/\?t=\S+", line)
            assert address is not None, line
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            with opener.open(address.group(0)) as page:  # follows the 303, keeps the cookie
                assert "Your queue" in page.read().decode()
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/")
            refused.value.close()
            assert refused.value.code == 403
        finally:
            app.send_signal(signal.SIGINT)
            app.wait(30)


def test_a_reviewer_asks_the_reporter_and_reads_the_answer_from_the_command_line(
    server: Server, tmp_path: Path
) -> None:
    carol = Workstation(tmp_path / "carol-laptop", "carol", server)
    carol.folder.mkdir()
    carol.enrol()
    assert carol.login().returncode == 0
    chat = tipline(["chat"], server.env, lines(*ANSWERS, "confirm"))
    reference = REFERENCE.findall(chat.stdout)[-1]
    code = re.findall(r"\d{4} \d{4} \d{4} \d{4}", chat.stdout)[-1]

    asked = carol.review("reply", reference, "Which station was it?")
    assert asked.returncode == 0, asked.stderr
    assert "the server cannot" in asked.stdout
    assert "question unanswered" in carol.review("queue").stdout
    assert carol.review("nudge", reference).returncode == 1, "an anonymous reporter"

    back = tipline(["chat"], server.env, lines("receipt", code, "Brixton, the back door.", "skip",
                                               "confirm"))  # fmt: skip
    assert back.returncode == 0, back.stderr
    assert "Which station was it?" in back.stdout
    assert f"with your report {reference}" in back.stdout

    thread = carol.review("thread", reference)
    assert thread.returncode == 0, thread.stderr
    assert "Which station was it?" in thread.stdout
    assert "(read " in thread.stdout
    assert "Brixton, the back door." in thread.stdout
    assert "by follow-up)" in thread.stdout
    assert "question unanswered" not in carol.review("queue").stdout
