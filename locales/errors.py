"""Tipline's one exception tree. Every package raises from here; edges translate.

    TiplineError
    ├── ConfigError            settings or secrets are missing or malformed
    ├── ScriptError            a dialog script failed to load; carries `issues`
    ├── StoreError             the store failed
    │   └── ConflictError      another worker committed this conversation first
    ├── SealError              sealing or opening an envelope failed
    │   └── TamperedError      an envelope or audit entry does not verify
    ├── KeyFileError           a reviewer key file is unreadable or the passphrase is wrong
    └── QueueError             a queue operation is not allowed (unknown or unclaimed REF)

It sits in the bottom layer and imports nothing from the project, so every package
(the reviewer workstation included) raises from it; edges translate.
"""

from __future__ import annotations

from dataclasses import dataclass


class TiplineError(Exception):
    """Base of every error Tipline raises on purpose."""


class ConfigError(TiplineError):
    """A setting or server secret is missing or malformed."""


@dataclass(frozen=True)
class ScriptIssue:
    """One problem in a dialog script, pinned to a file and line."""

    file: str
    line: int
    message: str
    code: str = "script"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} [{self.code}]"


class ScriptError(TiplineError):
    """A script cannot be loaded; `issues` says where and why."""

    def __init__(self, issues: list[ScriptIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


class StoreError(TiplineError):
    """The store failed to read or write."""


class ConflictError(StoreError):
    """Another writer changed this conversation since it was loaded; retry the turn."""


class SealError(TiplineError):
    """A report could not be sealed or opened."""


class TamperedError(SealError):
    """An envelope or audit entry failed verification."""


class KeyFileError(TiplineError):
    """A reviewer key file cannot be read: wrong passphrase, wrong format or missing."""


class QueueError(TiplineError):
    """A queue operation is not allowed, e.g. `done` on a report nobody claimed."""

    def __init__(self, message: str, reference: str | None = None) -> None:
        super().__init__(message)
        self.reference = reference
