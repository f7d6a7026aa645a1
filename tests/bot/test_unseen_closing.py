"""A reporter never loses their receipt to a crash (issue 13, point 8), at the service.

A closing (reference and receipt) the channel never said it showed is given again
on the conversation's next message, with a new receipt whose hash replaces the old
one; the data folder, read with the server secret, holds neither receipt.
"""

from __future__ import annotations

import re

from bot.serverkeys import load_existing
from handoff.receipts import receipt_hash
from handoff.reporter import reporter_key
from tests.bot.conftest import Env
from tests.bot.driver import Talk
from tests.bot.test_after_the_end import CHAT, EMAIL, SCRIPT, STORY, attack, raw_files

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


def receipt_in(text: str) -> str:
    found = RECEIPT.findall(text)
    assert len(found) == 1, f"one receipt shown, not {found}"
    return str(found[0])


async def works(env: Env, receipt: str) -> bool:
    """Whether the server takes `receipt` as the sealed report's receipt."""
    digest = receipt_hash(receipt, load_existing(env.data_dir / "server-secret").receipt)
    return await env.app.store.receipt_exists(digest)


async def sealed_unshown(env: Env) -> tuple[Talk, str, str]:
    """A report sealed by a channel that died before showing the closing."""
    talk = Talk(env.app.conversations, CHAT, shows=False)
    await talk.until("review", SCRIPT)
    sealed = await talk.send("confirm")
    assert sealed.reference is not None
    return talk, sealed.reference, receipt_in(talk.text)


async def test_a_closing_never_shown_comes_again_with_a_new_receipt(env: Env) -> None:
    talk, reference, lost = await sealed_unshown(env)
    talk.shows = True
    again = await talk.send("hello? did it work?")
    assert again.ended
    assert again.reference == reference
    assert f"Your report {reference} was sent." in talk.text
    assert "no longer works" in talk.text
    assert "Write the secret code down" in talk.text
    receipt = receipt_in(talk.text)
    assert receipt != lost
    assert await works(env, receipt)
    assert not await works(env, lost), "the receipt nobody saw stops working"
    assert len(await env.reports()) == 1

    after = await talk.send("hello again")
    assert after.started, "shown once, the next message starts a new report"
    assert not RECEIPT.search(talk.text)
    assert await works(env, receipt)


async def test_a_new_receipt_also_opens_the_review_teams_messages(env: Env) -> None:
    """The case's reporter key is the new receipt's: a reviewer's question must be readable
    with the code the reporter was shown, not with the one lost to the crash."""
    talk, reference, lost = await sealed_unshown(env)
    await talk.send("hello?")
    receipt = receipt_in(talk.text)
    thread = await env.app.store.thread(reference)
    assert thread is not None
    pepper = env.app.keys.key("reporter-key")
    n = env.app.settings.reporter_kdf_n
    assert thread.reporter_public == reporter_key(receipt, pepper, n=n).public.to_bytes()
    assert thread.reporter_public != reporter_key(lost, pepper, n=n).public.to_bytes()


async def test_a_closing_that_was_shown_is_never_given_again(env: Env) -> None:
    talk = Talk(env.app.conversations, CHAT)
    await talk.until("review", SCRIPT)
    await talk.send("confirm")
    receipt = receipt_in(talk.text)
    nxt = await talk.send("thank you")
    assert nxt.started
    assert nxt.reference is None
    assert not RECEIPT.search(talk.text)
    assert await works(env, receipt)


async def test_a_new_receipt_each_time_until_one_is_shown(env: Env) -> None:
    """A reissued closing lost again is reissued again; only the newest receipt works."""
    talk, reference, first = await sealed_unshown(env)
    await talk.send("hello?")
    second = receipt_in(talk.text)
    talk.shows = True
    await talk.send("hello??")
    third = receipt_in(talk.text)
    assert len({first, second, third}) == 3
    assert [await works(env, r) for r in (first, second, third)] == [False, False, True]
    events = [(e.event, e.reference) for e in await env.app.store.audit_log()]
    assert events.count(("receipt_reissued", reference)) == 2


async def test_a_redelivered_confirm_brings_the_closing_nobody_saw(env: Env) -> None:
    talk = Talk(env.app.conversations, CHAT, shows=False)
    await talk.until("review", SCRIPT)
    confirm = str(next(talk.messages))
    sealed = await talk.send("confirm", message_id=confirm)
    talk.shows = True
    again = await talk.send("confirm", message_id=confirm)  # the platform sends it again
    assert again.reference == sealed.reference
    receipt = receipt_in(talk.text)
    assert await works(env, receipt)
    once_more = await talk.send("confirm", message_id=confirm)
    assert once_more.reference is None
    assert f"Your report {sealed.reference} was sent." in talk.text
    assert not RECEIPT.search(talk.text), "once shown, a redelivery never shows a receipt"
    assert len(await env.reports()) == 1


async def test_after_a_reissue_the_data_folder_and_secret_hold_neither_receipt(env: Env) -> None:
    """The canary: the attack of point 1, after a closing was lost and given again."""
    talk, _reference, lost = await sealed_unshown(env)
    talk.shows = True
    await talk.send("hello?")
    given = receipt_in(talk.text)
    readable = attack(env)
    raw = raw_files(env.data_dir)
    for receipt in (lost, given):
        assert receipt not in readable
        assert receipt.encode() not in raw
        assert receipt.replace(" ", "").encode() not in raw
    assert STORY not in readable
    assert EMAIL not in readable
