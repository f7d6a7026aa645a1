"""Replaying the audit log into report states, and comparing them with the queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handoff.audit import GENESIS, AuditHash
from handoff.cases import CaseState, compare, event_for, replay
from store import AuditEntry

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _log(*events: tuple[str, str | None, str | None]) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for seq, (event, reference, actor) in enumerate(events, 1):
        mac = AuditHash()(seq, T0, event, reference, actor, prev)
        entries.append(AuditEntry(seq, T0, event, reference, actor, prev, mac))
        prev = mac
    return entries


def test_a_case_replays_to_the_state_the_queue_should_show() -> None:
    states, problems = replay(
        _log(
            ("key_registered", None, "k1"),
            ("seal", "TL-A", None),
            ("claim", "TL-A", "k1"),
            (event_for("acknowledged"), "TL-A", "k1"),
            (event_for("referred", "iopc"), "TL-A", "k1"),
            ("hold", "TL-A", "k1"),
            ("done", "TL-A", "k1"),
            ("seal", "TL-B", None),
        )
    )
    assert problems == []
    assert states == {
        "TL-A": CaseState("TL-A", "done", "k1", "referred", "iopc", None, True),
        "TL-B": CaseState("TL-B", "queued", None, "received"),
    }


def test_closing_keeps_the_referral_and_sets_the_outcome() -> None:
    states, _ = replay(
        _log(
            ("seal", "TL-A", None),
            (event_for("referred", "psd"), "TL-A", "k1"),
            (event_for("closed", "action_taken"), "TL-A", "k1"),
        )
    )
    assert states["TL-A"] == CaseState("TL-A", "queued", None, "closed", "psd", "action_taken")


def test_a_deleted_report_leaves_the_expected_queue_and_must_have_been_closed() -> None:
    log = _log(
        ("seal", "TL-A", None),
        (event_for("closed", "spam"), "TL-A", "k1"),
        ("deleted", "TL-A", "retention"),
        ("seal", "TL-B", None),
        ("deleted", "TL-B", "k1"),
    )
    states, problems = replay(log)
    assert states == {}
    assert problems == ["TL-B: deleted (seq 5) while queued, received"]


def test_a_missing_row_an_unlogged_row_and_a_changed_row_are_each_named() -> None:
    states, _ = replay(
        _log(("seal", "TL-A", None), ("seal", "TL-B", None), ("claim", "TL-B", "k1"))
    )
    queue = [
        CaseState("TL-B", "done", "k1", "received"),  # done without its entry
        CaseState("TL-C", "queued", None, "received"),  # never sealed in the log
    ]
    assert compare(states, queue) == [
        "TL-B: the queue says done by k1, received, the audit log says claimed by k1, received",
        "TL-C: in the queue, but the audit log never sealed it",
        "TL-A: sealed, but its queue row is missing with no deletion in the audit log",
    ]
    assert compare(states, [CaseState("TL-A", "queued", None, "received"), queue[0]])
    fixed = [CaseState("TL-A", "queued", None, "received"), replace(queue[0], claim="claimed")]
    assert compare(states, fixed) == []


def test_a_report_sealed_twice_or_acted_on_unsealed_is_a_problem() -> None:
    _, problems = replay(
        _log(("seal", "TL-A", None), ("seal", "TL-A", None), ("claim", "TL-Z", "k"))
    )
    assert problems == [
        "TL-A: sealed twice (seq 2)",
        "TL-Z: seq 3 (claim) names a report never sealed",
    ]
