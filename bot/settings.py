"""Settings: read once from `TIPLINE_*` environment variables into a frozen object.

Nothing else in Tipline reads the environment; the entry point builds a
`Settings` and passes it down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from handoff.reporter import REPORTER_SCRYPT_N
from locales.errors import ConfigError

SHIPPED_SCRIPT = Path(__file__).resolve().parent.parent / "dialogs" / "scripts"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with the embedded defaults a newcomer gets."""

    data_dir: Path = Path("var")
    script: Path = SHIPPED_SCRIPT / "police-misconduct.yaml"
    followup_script: Path = SHIPPED_SCRIPT / "followup.yaml"
    default_locale: str = "en"
    draft_ttl: timedelta = timedelta(hours=72)
    ledger_ttl: timedelta = timedelta(hours=24)
    lease: timedelta = timedelta(minutes=30)
    sweep_every: timedelta = timedelta(minutes=5)
    log_level: str = "INFO"
    reviewer_passphrase: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None  # https://… where platforms reach the webhooks
    onion_address: str | None = None  # shown on the web chat when configured
    quick_exit_url: str = "https://www.bbc.co.uk/weather"  # where Quick exit leads
    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"  # or a local Bot API server
    telegram_flood_per_minute: float = 60.0  # messages one chat may send, after a burst of 20
    max_upload_bytes: int = 20 * 1024 * 1024
    # Bounded under flood (THREAT_MODEL.md): past these, new drafts and uploads are refused.
    max_open_drafts: int = 10_000
    max_evidence_total_bytes: int = 2048 * 2**20  # files in drafts + sealed reports queued
    min_free_disk_bytes: int = 512 * 2**20  # free space kept in the data folder's disk
    web_answers_per_second: float = 1.0  # one web chat session, sustained ...
    web_answer_burst: int = 5  # ... after a burst of this many
    # Who runs this service and its review team: named on every web chat page.
    operator_name: str = "Tipline demo (not a real service)"
    review_host: str = "127.0.0.1"  # the reviewer API's own listener: a VPN or onion only
    review_port: int = 8081
    retention: timedelta = timedelta(days=90)  # a closed report is deleted this long after
    acknowledge_within: timedelta = timedelta(days=7)  # EU Whistleblowing Directive, art. 9
    feedback_within: timedelta = timedelta(days=90)  # "3 months" from acknowledging, never late
    smtp_url: str | None = None  # notifications by e-mail (bot/review/notify.py)
    notify_webhook: str | None = None  # notifications as JSON posted here
    notify_link: str = "http://127.0.0.1:8090/"  # in every notice: a reviewer's review app
    server_url: str | None = None  # the workstation's reviewer API address
    reviewer_totp: str | None = None  # a TOTP code for scripted `tipline review login`
    receipt_ttl: timedelta = timedelta(days=90)  # a receipt lapses this long after its last use
    # scrypt cost of the receipt-derived reporter key (handoff/reporter.py); tests lower it,
    # deliberately not an environment variable, so no deployment weakens it by accident.
    reporter_kdf_n: int = REPORTER_SCRYPT_N

    @property
    def database(self) -> Path:
        return self.data_dir / "tipline.db"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "tipline.log"

    @property
    def secret_file(self) -> Path:
        return self.data_dir / "server-secret"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read `TIPLINE_*` variables; anything malformed is a ConfigError naming it."""
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            data_dir=Path(env.get("TIPLINE_DATA_DIR", str(defaults.data_dir))),
            script=Path(env.get("TIPLINE_SCRIPT", str(defaults.script))),
            followup_script=Path(env.get("TIPLINE_FOLLOWUP_SCRIPT", str(defaults.followup_script))),
            default_locale=env.get("TIPLINE_DEFAULT_LOCALE", defaults.default_locale),
            draft_ttl=_hours(env, "TIPLINE_DRAFT_TTL_HOURS", defaults.draft_ttl),
            ledger_ttl=_hours(env, "TIPLINE_LEDGER_TTL_HOURS", defaults.ledger_ttl),
            lease=_minutes(env, "TIPLINE_LEASE_MINUTES", defaults.lease),
            sweep_every=_minutes(env, "TIPLINE_SWEEP_MINUTES", defaults.sweep_every),
            log_level=env.get("TIPLINE_LOG_LEVEL", defaults.log_level).upper(),
            reviewer_passphrase=env.get("TIPLINE_REVIEWER_PASSPHRASE"),
            host=env.get("TIPLINE_HOST", defaults.host),
            port=int(_number(env, "TIPLINE_PORT") or defaults.port),
            public_url=env.get("TIPLINE_PUBLIC_URL") or None,
            onion_address=env.get("TIPLINE_ONION_ADDRESS") or None,
            quick_exit_url=env.get("TIPLINE_QUICK_EXIT_URL") or defaults.quick_exit_url,
            telegram_token=env.get("TIPLINE_TELEGRAM_TOKEN") or None,
            telegram_api_url=env.get("TIPLINE_TELEGRAM_API_URL") or defaults.telegram_api_url,
            telegram_flood_per_minute=_number(env, "TIPLINE_TELEGRAM_FLOOD_PER_MINUTE")
            or defaults.telegram_flood_per_minute,
            max_upload_bytes=int(
                _number(env, "TIPLINE_MAX_UPLOAD_MB") or defaults.max_upload_bytes / 2**20
            )
            * 2**20,
            max_open_drafts=int(
                _number(env, "TIPLINE_MAX_OPEN_DRAFTS") or defaults.max_open_drafts
            ),
            max_evidence_total_bytes=_megabytes(
                env, "TIPLINE_MAX_EVIDENCE_TOTAL_MB", defaults.max_evidence_total_bytes
            ),
            min_free_disk_bytes=_megabytes(
                env, "TIPLINE_MIN_FREE_DISK_MB", defaults.min_free_disk_bytes
            ),
            web_answers_per_second=_number(env, "TIPLINE_WEB_ANSWERS_PER_SECOND")
            or defaults.web_answers_per_second,
            web_answer_burst=int(
                _number(env, "TIPLINE_WEB_ANSWER_BURST") or defaults.web_answer_burst
            ),
            operator_name=env.get("TIPLINE_OPERATOR_NAME", "").strip() or defaults.operator_name,
            review_host=env.get("TIPLINE_REVIEW_HOST", defaults.review_host),
            review_port=int(_number(env, "TIPLINE_REVIEW_PORT") or defaults.review_port),
            retention=_days(env, "TIPLINE_RETENTION_DAYS", defaults.retention),
            acknowledge_within=_days(env, "TIPLINE_ACKNOWLEDGE_DAYS", defaults.acknowledge_within),
            feedback_within=_days(env, "TIPLINE_FEEDBACK_DAYS", defaults.feedback_within),
            smtp_url=env.get("TIPLINE_SMTP_URL") or None,
            notify_webhook=env.get("TIPLINE_NOTIFY_WEBHOOK") or None,
            notify_link=env.get("TIPLINE_NOTIFY_LINK") or defaults.notify_link,
            server_url=env.get("TIPLINE_SERVER_URL") or None,
            reviewer_totp=env.get("TIPLINE_REVIEWER_TOTP") or None,
            receipt_ttl=_days(env, "TIPLINE_RECEIPT_TTL_DAYS", defaults.receipt_ttl),
        )


def _number(env: Mapping[str, str], name: str) -> float | None:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def _megabytes(env: Mapping[str, str], name: str, default: int) -> int:
    value = _number(env, name)
    return default if value is None else int(value * 2**20)


def _hours(env: Mapping[str, str], name: str, default: timedelta) -> timedelta:
    value = _number(env, name)
    return default if value is None else timedelta(hours=value)


def _days(env: Mapping[str, str], name: str, default: timedelta) -> timedelta:
    value = _number(env, name)
    return default if value is None else timedelta(days=value)


def _minutes(env: Mapping[str, str], name: str, default: timedelta) -> timedelta:
    value = _number(env, name)
    return default if value is None else timedelta(minutes=value)
