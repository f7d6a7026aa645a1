"""What happens to a sealed report, as events: the statuses, and replaying the audit log.

The server writes one audit entry for every change to a report (`event_for`
names it), and a reviewer's workstation replays the log (`replay`) into the
state every report should be in, then compares that with the queue the server
shows (`compare`). A report row deleted, added or changed without its entry is
named, however intact the hash chain is.

Statuses follow a case: received → acknowledged → in review → referred (to a
force's professional standards department, the IOPC, or other) → closed (with
an outcome). The claim (queued / claimed / done) is separate: who is working on
it now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from handoff.audit import AuditHead, AuditRecord, verify_chain

__all__ = [
    "CASE_STATUSES",
    "OUTCOMES",
    "REFERRALS",
    "CaseState",
    "audit_problems",
    "compare",
    "event_for",
    "replay",
]

CaseStatus = Literal["received", "acknowledged", "in_review", "referred", "closed"]
CASE_STATUSES: tuple[CaseStatus, ...] = (
    "received",
    "acknowledged",
    "in_review",
    "referred",
    "closed",
)
REFERRALS = ("psd", "iopc", "other")  # a force's professional standards department, the IOPC
OUTCOMES = ("action_taken", "no_further_action", "not_enough_information", "spam")


@dataclass(frozen=True, slots=True)
class CaseState:
    """Where a report stands: its claim and its case status, as the queue or the log says."""

    reference: str
    claim: str  # queued | claimed | done
    claimed_by: str | None
    status: str
    referred_to: str | None = None
    outcome: str | None = None
    held: bool = False

    def describe(self) -> str:
        status = self.status
        if self.referred_to:
            status += f" to {self.referred_to}"
        if self.outcome:
            status += f" ({self.outcome})"
        who = f" by {self.claimed_by}" if self.claimed_by else ""
        return f"{self.claim}{who}, {status}{', held' if self.held else ''}"


def event_for(status: str, detail: str | None = None) -> str:
    """The audit event of a status change: "status:referred:iopc", "status:closed:spam"."""
    return f"status:{status}" if detail is None else f"status:{status}:{detail}"


def apply_status(state: CaseState, status: str, detail: str | None) -> CaseState:
    """A status change: a referral keeps where it went; only a closed case has an outcome."""
    referred = detail if status == "referred" else state.referred_to
    return replace(
        state, status=status, referred_to=referred, outcome=detail if status == "closed" else None
    )


def replay(entries: Sequence[AuditRecord]) -> tuple[dict[str, CaseState], list[str]]:
    """Every report the log says exists, in the state it says; and the changes it forbids."""
    states: dict[str, CaseState] = {}
    problems: list[str] = []
    for entry in entries:
        ref, actor, event = entry.reference, entry.actor, entry.event
        if ref is None:
            continue
        if event == "seal":
            if ref in states:
                problems.append(f"{ref}: sealed twice (seq {entry.seq})")
            states[ref] = CaseState(ref, "queued", None, "received")
            continue
        state = states.get(ref)
        if state is None:
            if event not in ("login", "login_failed"):
                problems.append(f"{ref}: seq {entry.seq} ({event}) names a report never sealed")
            continue
        if event == "claim":
            state = replace(state, claim="claimed", claimed_by=actor)
        elif event in ("release", "lease_expired"):
            state = replace(state, claim="queued", claimed_by=None)
        elif event == "done":
            state = replace(state, claim="done")
        elif event.startswith("status:"):
            _, status, *detail = event.split(":", 2)
            state = apply_status(state, status, detail[0] if detail else None)
        elif event in ("hold", "unhold"):
            state = replace(state, held=event == "hold")
        elif event == "deleted":
            if state.status != "closed" or state.held:
                problems.append(f"{ref}: deleted (seq {entry.seq}) while {state.describe()}")
            del states[ref]
            continue
        states[ref] = state
    return states, problems


def compare(expected: dict[str, CaseState], actual: Iterable[CaseState]) -> list[str]:
    """Every report whose queue row is missing, unexplained or not what the log says."""
    problems: list[str] = []
    seen: set[str] = set()
    for row in actual:
        seen.add(row.reference)
        wanted = expected.get(row.reference)
        if wanted is None:
            problems.append(f"{row.reference}: in the queue, but the audit log never sealed it")
        elif row != wanted:
            problems.append(
                f"{row.reference}: the queue says {row.describe()}, "
                f"the audit log says {wanted.describe()}"
            )
    for reference in sorted(set(expected) - seen):
        problems.append(
            f"{reference}: sealed, but its queue row is missing with no deletion in the audit log"
        )
    return problems


def audit_problems(
    entries: Sequence[AuditRecord],
    queue: Iterable[CaseState],
    head: bytes | AuditHead | None = None,
) -> list[str]:
    """Everything wrong with a log and the queue it should explain: the chain (and the kept
    head), the changes the log forbids, and every report row it does not account for."""
    expected, problems = replay(entries)
    return verify_chain(entries, head) + problems + compare(expected, queue)
