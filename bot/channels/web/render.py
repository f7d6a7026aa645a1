"""Turn the core's `Outbound` into what a browser gets: a whole page, or JSON for the script.

The page is rendered with Jinja2 (autoescaping on: a reporter's words and the
bot's are always text, never markup). Chrome strings are gettext messages in
the page's language, so the translators' catalogs cover them too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jinja2
import orjson

from bot.channels.web.shapes import Bubble, Said, bubbles, progress_text, question_of
from bot.messages import Outbound, Reply, reply_fields
from locales import N_, text_direction, translator

# Kinds of question answered by pressing an option; the others get a text box first.
CHOICE_KINDS = frozenset({"choice", "multi", "yesno", "confirm"})
EXPIRED_NOTE = N_(
    "Your earlier conversation had ended or expired, so we started again. "
    "What you typed is still in the box below."
)
CHANGE = N_("Change")


def is_language_list(reply: Reply, languages: Mapping[str, str]) -> bool:
    """The engine's "which language?" question: its options are the shipped languages."""
    return bool(reply.options) and all(o.id in languages for o in reply.options)


@dataclass(frozen=True, slots=True)
class View:
    """Everything one chat page shows."""

    lang: str
    messages: tuple[Said | Bubble, ...]
    question: Reply | None
    csrf: str
    message_id: str
    ended: bool = False
    kept_text: str = ""
    notes: tuple[str, ...] = ()
    earlier_hidden: bool = False
    confirming: str | None = None  # "cancel" or "restart": asked before it is sent


@dataclass(frozen=True, slots=True)
class Operator:
    """Who runs this service, and how long it keeps what: for the about and privacy pages."""

    name: str
    draft_ttl: timedelta
    ledger_ttl: timedelta


class Renderer:
    """Renders pages and JSON; one per server, templates compiled once."""

    def __init__(
        self,
        languages: Mapping[str, str],
        *,
        quick_exit_url: str,
        onion_address: str | None,
        max_upload_bytes: int,
        evidence_types: Sequence[str],
        operator: Operator,
    ) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.PackageLoader("bot.channels.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._languages = languages
        self._picker = tuple((code, name, text_direction(code)) for code, name in languages.items())
        self._common = {
            "exit_url": quick_exit_url,
            "onion": onion_address,
            "operator": operator.name,
            "draft_hours": _hours(operator.draft_ttl),
            "ledger_hours": _hours(operator.ledger_ttl),
            "max_upload_mb": max(1, max_upload_bytes // 2**20),
            # A hint to the file picker; the server sniffs what really came.
            "evidence_types": ",".join(evidence_types),
        }

    def page(self, view: View) -> str:
        question = view.question
        direction = question.direction if question is not None else text_direction(view.lang)
        language_list = question is not None and is_language_list(question, self._languages)
        labels = {} if question is None else {o.id: o.label for o in question.options}
        gettext = translator(view.lang).gettext
        for bubble in view.messages:  # the read-back's Change buttons say what they change
            items = bubble.items if isinstance(bubble, Bubble) else ()
            for number, (summary, _answer) in enumerate(items, 1):
                labels[str(number)] = f"{gettext(CHANGE)}: {summary}"
        return self._env.get_template("page.html").render(
            **self._common,
            _=gettext,
            expired_note=gettext(EXPIRED_NOTE),
            v=view,
            lang=view.lang,
            dir=direction,
            q=question,
            progress=progress_text(question, translator(view.lang)),
            choices=question is not None and question.expects in CHOICE_KINDS,
            language_list=language_list,
            languages=self._picker,
            labels=json.dumps(labels, ensure_ascii=False, separators=(",", ":")),
        )

    def info(self, name: str, lang: str) -> str:
        """The about page or the privacy notice."""
        return self._env.get_template(f"{name}.html").render(
            **self._common, _=translator(lang).gettext, lang=lang, dir=text_direction(lang)
        )

    def error(self, lang: str, status: int, message: str) -> str:
        return self._env.get_template("error.html").render(
            **self._common,
            _=translator(lang).gettext,
            lang=lang,
            dir=text_direction(lang),
            status=status,
            message=message,
        )

    def turn_json(
        self, outbound: Outbound, lang: str, csrf: str, restarted: bool, kept: bool
    ) -> bytes:
        """The JSON the page's script (and the benchmark) gets for one turn."""
        question = question_of(outbound.replies)
        tr = translator(lang)
        drawn = bubbles(outbound)
        body = {
            "replies": [
                {**self._reply(r), **b.json()} for r, b in zip(outbound.replies, drawn, strict=True)
            ],
            "ended": outbound.ended,
            "reference": outbound.reference,
            "lang": lang,
            "dir": question.direction if question is not None else text_direction(lang),
            "csrf": csrf,
            "restarted": restarted,
            "kept": kept,  # the answer was not taken: what was typed stays in the box
            "progress": progress_text(question, tr),
        }
        return orjson.dumps(body)

    def _reply(self, reply: Reply) -> dict[str, Any]:
        return {**reply_fields(reply), "languages": is_language_list(reply, self._languages)}


def _hours(ttl: timedelta) -> str:
    hours = ttl.total_seconds() / 3600
    return str(int(hours)) if hours == int(hours) else f"{hours:.1f}"
