"""What the redelivery ledger keeps of a turn's replies, and how it is read back.

While a draft is open, each turn's replies are kept (encrypted, with the draft's
conversation) so a message delivered twice gets the same answer and never takes a
second step; they are deleted with the draft. The turn that ends a draft keeps
only what holds nothing the reporter wrote: after sealing, "your report TL-… was
sent" (never the read-back, the closing or its receipt); after deleting, the
engine's own "your draft has been deleted".
"""

from __future__ import annotations

import orjson

from bot.messages import Outbound, Reply, reply_fields, reply_from_fields
from locales import N_, fill, text_direction, translator

REPORT_SENT = N_("Your report {reference} was sent.")


def kept_after_the_end(
    outbound: Outbound, reference: str | None, locale: str, default_locale: str
) -> Outbound:
    """What a redelivered ending message is answered with: no content, no receipt."""
    if reference is not None:
        text = fill(
            translator(locale, default_locale).gettext(REPORT_SENT),
            REPORT_SENT,
            reference=reference,
        )
        replies: tuple[Reply, ...] = (Reply(text, direction=text_direction(locale)),)
    else:
        replies = tuple(r for r in outbound.replies if not r.sensitive and not r.items)
    return Outbound(replies=replies, ended=True, locale=locale)


def encode(outbound: Outbound) -> bytes:
    return orjson.dumps(
        {
            "replies": [reply_fields(r) for r in outbound.replies],
            "ended": outbound.ended,
            "reference": outbound.reference,
            "started": outbound.started,
            "locale": outbound.locale,
        }
    )


def decode(data: bytes) -> Outbound:
    raw = orjson.loads(data)
    replies = tuple(reply_from_fields(r) for r in raw["replies"])
    return Outbound(
        replies=replies,
        ended=raw["ended"],
        reference=raw["reference"],
        started=bool(raw.get("started")),
        locale=raw.get("locale"),
    )
