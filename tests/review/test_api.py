"""The reviewer API over real HTTP: logins, the queue, a case's life, and the audit."""

from __future__ import annotations

import base64
from datetime import timedelta

from bot.review import reviewer_record
from handoff import CaseState, audit_problems
from handoff.envelope import open_sealed
from handoff.workstation.notes import open_note, seal_note
from store import AuditEntry
from tests.review.conftest import PREFIX, Harness

HEADERS = ("Content-Security-Policy", "Cache-Control", "X-Content-Type-Options")


async def test_every_request_without_a_valid_token_gets_401(harness: Harness) -> None:
    for method, path in (("GET", "/queue"), ("POST", "/claim"), ("GET", "/audit"),
                         ("GET", "/reports/TL-AAAA-AAAA")):  # fmt: skip
        assert (await harness.call(method, path))[0] == 401
        assert (await harness.call(method, path, token="forged"))[0] == 401
    async with harness.session.get(harness.url + PREFIX + "/queue") as response:
        assert response.headers["WWW-Authenticate"] == "Bearer"
        for name in HEADERS:
            assert name in response.headers
        assert response.headers["Server"] == "Tipline", "no version in the Server header"


async def test_a_signed_challenge_and_a_totp_code_give_an_8_hour_token(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    status, body = await harness.login(alice)
    assert status == 200
    assert body["key_id"] == alice.key.key_id
    token = body["token"]
    assert (await harness.call("GET", "/queue", token))[0] == 200
    harness.clock.now += timedelta(hours=8)
    assert (await harness.call("GET", "/queue", token))[0] == 401, "an expired token"
    events = [e.event for e in await harness.app.store.audit_log()]
    assert events[-1] == "login"


async def test_failed_logins_are_refused_slowed_down_and_audited(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    status, body = await harness.login(alice, code="000000")
    assert (status, body) == (401, {"error": "the key, signature or code is not right"})
    assert (await harness.login(alice))[0] == 429, "locked out for a moment after a failure"
    harness.clock.now += timedelta(seconds=3)
    assert (await harness.login(alice, code="111111"))[0] == 401
    harness.clock.now += timedelta(seconds=3)
    assert (await harness.login(alice))[0] == 429, "the second failure locks for 4 s"
    harness.clock.now += timedelta(seconds=2)
    assert (await harness.login(alice))[0] == 200
    failed = [e for e in await harness.app.store.audit_log() if e.event == "login_failed"]
    assert [e.actor for e in failed] == [alice.key.key_id] * 2


async def test_a_totp_code_is_good_for_one_login_and_a_signature_must_be_the_reviewers(
    harness: Harness,
) -> None:
    alice, mallory = await harness.enrol("alice"), await harness.enrol("mallory")
    code = alice.code(harness.clock)
    assert (await harness.login(alice, code))[0] == 200
    assert (await harness.login(alice, code))[0] == 401, "a replayed code"
    # Mallory signs a challenge for Alice's key id with her own key.
    _, challenge = await harness.call("POST", "/login/challenge", body={"key_id": alice.key.key_id})
    raw = base64.b64decode(challenge["challenge"])
    forged = base64.b64encode(mallory.key.sign_login(raw)).decode()
    harness.clock.now += timedelta(seconds=40)
    body = {"key_id": alice.key.key_id, "challenge": challenge["challenge"], "signature": forged,
            "totp": alice.code(harness.clock)}  # fmt: skip
    assert (await harness.call("POST", "/login", body=body))[0] == 401


async def test_a_retired_reviewer_cannot_log_in_and_their_token_stops(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    token = await harness.token(alice)
    await harness.app.store.retire_reviewer(alice.key.key_id, harness.clock.now)
    assert (await harness.call("GET", "/queue", token))[0] == 401
    harness.clock.now += timedelta(minutes=1)
    assert (await harness.login(alice))[0] == 401


async def test_bad_input_gets_a_400_with_the_same_headers(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    token = await harness.token(alice)
    await harness.seal("TL-AAAA-AAAA", [alice])
    url = harness.url + PREFIX
    auth = {"Authorization": f"Bearer {token}"}
    for method, path, data in (
        ("POST", "/login", b"not json"),
        ("POST", "/login", b"[1, 2]"),
        ("POST", "/login/challenge", b'{"key_id": "../../etc"}'),
        ("POST", "/reports/TL-AAAA-AAAA/status", b'{"status": "lost"}'),
        ("POST", "/reports/TL-AAAA-AAAA/status", b'{"status": "referred", "detail": "mi5"}'),
        ("POST", "/reports/TL-AAAA-AAAA/hold", b'{"held": "yes"}'),
        ("POST", "/reports/TL-AAAA-AAAA/notes", b'{"envelope": "not a sealed note"}'),
        ("GET", "/queue?limit=0", b""),
        ("GET", "/audit?after=-1", b""),
    ):
        async with harness.session.request(method, url + path, data=data, headers=auth) as resp:
            assert resp.status == 400, (path, data, await resp.text())
            assert "error" in await resp.json()
            for name in HEADERS:
                assert name in resp.headers


async def test_a_reviewer_sees_claims_and_fetches_only_reports_sealed_to_them(
    harness: Harness,
) -> None:
    alice, bob = await harness.enrol("alice"), await harness.enrol("bob")
    await harness.seal("TL-AAAA-AAAA", [alice, bob], priority=0)
    await harness.seal("TL-BBBB-BBBB", [alice], priority=1, what="Urgent.")
    a, b = await harness.token(alice), await harness.token(bob)
    _, queue = await harness.call("GET", "/queue", a)
    assert [r["reference"] for r in queue["reports"]] == ["TL-BBBB-BBBB", "TL-AAAA-AAAA"]
    first = queue["reports"][0]
    assert first["acknowledge_by"] == "2026-11-30T14:00:00+00:00", "7 days from sealing"
    assert first["evidence_count"] == 0
    _, bobs = await harness.call("GET", "/queue", b)
    assert [r["reference"] for r in bobs["reports"]] == ["TL-AAAA-AAAA"]
    assert (await harness.call("GET", "/reports/TL-BBBB-BBBB", b))[0] == 404
    status, claimed = await harness.call("POST", "/claim", b)
    assert status == 200
    assert claimed["report"]["reference"] == "TL-AAAA-AAAA"
    body = open_sealed(base64.b64decode(claimed["envelope"]), bob.key)
    assert b"He lied." in body.report
    status, none = await harness.call("POST", "/claim", b)
    assert none == {"report": None, "envelope": None}
    status, fetched = await harness.call("GET", "/reports/TL-BBBB-BBBB", a)
    assert open_sealed(base64.b64decode(fetched["envelope"]), alice.key).report.count(b"Urgent")
    fetches = [e for e in await harness.app.store.audit_log() if e.event == "fetch"]
    assert [(e.reference, e.actor) for e in fetches] == [("TL-BBBB-BBBB", alice.key.key_id)]


async def test_a_case_from_claim_to_closed_with_notes_holds_and_deletion(harness: Harness) -> None:
    alice, bob = await harness.enrol("alice"), await harness.enrol("bob")
    await harness.seal("TL-AAAA-AAAA", [alice, bob])
    a, b = await harness.token(alice), await harness.token(bob)
    ref = "/reports/TL-AAAA-AAAA"
    await harness.call("POST", "/claim", a)
    status, refused = await harness.call("POST", ref + "/status", b, {"status": "acknowledged"})
    assert (status, refused["error"]) == (409, "report TL-AAAA-AAAA is claimed by another reviewer")
    _, acked = await harness.call("POST", ref + "/status", a, {"status": "acknowledged"})
    assert acked["report"]["feedback_by"] == "2027-02-21T14:07:31.123456+00:00", "90 days"
    _, reviewers = await harness.call("GET", "/reviewers", a)
    assert {r["key_id"] for r in reviewers["reviewers"]} == {alice.key.key_id, bob.key.key_id}
    keys = [reviewer_record(r.key, "r", harness.clock.now) for r in (alice, bob)]
    sealed = seal_note("TL-AAAA-AAAA", "Called the PSD.", alice.key.key_id, keys, harness.clock.now)
    envelope = base64.b64encode(sealed).decode()
    status, kept = await harness.call("POST", ref + "/notes", a, {"envelope": envelope})
    assert (status, kept["author"]) == (201, alice.key.key_id)
    _, notes = await harness.call("GET", ref + "/notes", b)
    assert [n["envelope"] for n in notes["notes"]] == [envelope]
    opened = open_note(base64.b64decode(notes["notes"][0]["envelope"]), bob.key, "TL-AAAA-AAAA")
    assert (opened.text, opened.author) == ("Called the PSD.", alice.key.key_id)
    await harness.call("POST", ref + "/status", a, {"status": "referred", "detail": "iopc"})
    _, closed = await harness.call(
        "POST", ref + "/status", a, {"status": "closed", "detail": "action_taken"}
    )
    assert (closed["report"]["referred_to"], closed["report"]["outcome"]) == (
        "iopc",
        "action_taken",
    )
    await harness.call("POST", ref + "/hold", a, {"held": True})
    assert (await harness.call("DELETE", ref, a))[0] == 409, "held"
    _, done = await harness.call("POST", ref + "/done", a)
    assert done["report"]["claim"] == "done"
    await harness.call("POST", ref + "/hold", b, {"held": False})
    assert (await harness.call("DELETE", ref, b))[0] == 204
    assert (await harness.call("GET", ref, a))[0] == 404
    await _the_log_explains_the_queue(harness, a)


async def _the_log_explains_the_queue(harness: Harness, token: str) -> None:
    """What a workstation does: fetch the log and the states, replay, compare."""
    _, log = await harness.call("GET", "/audit", token, after="0", limit="5000")
    entries = [
        AuditEntry(e["seq"], harness.clock.now, e["event"], e["reference"], e["actor"],
                   base64.b64decode(e["prev"]), base64.b64decode(e["hash"]), e["scheme"])
        for e in log["entries"]
    ]  # fmt: skip
    _, states = await harness.call("GET", "/audit/reports", token)
    queue = [CaseState(**s) for s in states["reports"]]
    stored = await harness.app.store.audit_log()
    assert [e.event for e in entries] == [e.event for e in stored]
    assert audit_problems(stored, queue) == []
    _, head = await harness.call("GET", "/audit/head", token)
    assert (head["seq"], base64.b64decode(head["hash"])) == (stored[-1].seq, stored[-1].mac)
