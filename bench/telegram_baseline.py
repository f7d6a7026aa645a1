"""The baseline for `bench.telegram`: the bot a Python developer would otherwise write.

A plain python-telegram-bot `Application` with a `ConversationHandler` (one state
per question of the shipped script, on the anonymous path), `PicklePersistence`
for the conversation, PTB's default HTTP client (httpx), and a webhook served by
aiohttp that puts each update on the application's queue — PTB's documented
"custom webhook" pattern. It asks the same questions with the same buttons, and
edits a pressed keyboard as Tipline does; it does no validation, no sealing and
no translation, so it does less work per turn than Tipline.

    python -m bench.telegram_baseline --api URL --port PORT --data DIR --token TOKEN
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import json
import secrets
import signal
import sys
import warnings
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.settings import Settings
from dialogs import load_script
from dialogs.loader import Step

SECRET = "baseline-secret"  # noqa: S105 - a benchmark's fixed webhook secret
WEBHOOK_PATH = "/telegram/webhook"


def linear_path() -> list[Step]:
    """The shipped script's questions along the default rules (the anonymous path)."""
    script = load_script(Settings().script)
    path: list[Step] = []
    sid: str | None = script.start
    while sid is not None:
        step = script.step(sid)
        path.append(step)
        if step.kind == "confirm":
            break
        sid = step.next[-1].goto if step.next else None
    return path


PATH = linear_path()
QUESTIONS = [s for s in PATH if s.kind != "info"]
INFO = {s.id: s.say for s in PATH if s.kind == "info"}
CLOSING = "Your report is sealed. Reference: {reference}\nThank you."


def keyboard(step: Step) -> InlineKeyboardMarkup | None:
    if step.kind == "yesno":
        labels = [("yes", "Yes"), ("no", "No")]
    elif step.kind == "confirm":
        labels = [("confirm", "Confirm and send")]
    else:
        labels = [(o.id, f"{n}. {o.label}") for n, o in enumerate(step.options, 1)]
    if step.unknown:
        labels.append(("unknown", "I don't know"))
    if step.kind == "attachment":
        labels = [("done", "Done")]
    if not labels:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for d, t in labels])


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, index: int) -> int:
    step = QUESTIONS[index]
    chat = update.effective_chat
    if chat is None:
        return ConversationHandler.END
    text = step.say
    if step.kind == "confirm":
        answers = context.user_data.get("answers", {}) if context.user_data is not None else {}
        lines = [f"{n}. {QUESTIONS[i].label}: {a}" for n, (i, a) in enumerate(answers.items(), 1)]
        text = "\n".join([step.say, "", *lines])
    await context.bot.send_message(chat.id, text, reply_markup=keyboard(step))
    return index


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data["answers"] = {}
    chat = update.effective_chat
    if chat is None:
        return ConversationHandler.END
    for text in INFO.values():
        await context.bot.send_message(chat.id, text)
        break  # the welcome; the emergency text is only on the "yes" path
    return await ask(update, context, 0)


def make_answer(index: int) -> Any:
    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        if query is not None:
            await query.answer()
            given = query.data or ""
            if query.message is not None and hasattr(query.message, "text"):
                await query.edit_message_text(f"{query.message.text}\n\n→ {given}")
        else:
            given = update.message.text if update.message and update.message.text else ""
        if context.user_data is not None:
            context.user_data.setdefault("answers", {})[index] = given
        if QUESTIONS[index].kind == "confirm":
            reference = f"TL-{secrets.token_hex(4).upper()}"
            if context.bot_data is not None:
                context.bot_data.setdefault("reports", []).append(
                    dict(context.user_data or {}) | {"reference": reference}
                )
            chat = update.effective_chat
            if chat is None:
                return ConversationHandler.END
            again = InlineKeyboardMarkup(
                [[InlineKeyboardButton("New report", callback_data="new")]]
            )
            await context.bot.send_message(
                chat.id, CLOSING.format(reference=reference), reply_markup=again
            )
            return ConversationHandler.END
        return await ask(update, context, index + 1)

    return answer


def build(token: str, api: str, data: Path) -> Application[Any, Any, Any, Any, Any, Any]:
    persistence = PicklePersistence(filepath=data / "baseline.pickle")
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .persistence(persistence)
        .updater(None)
        .build()
    )
    states = {
        i: [
            MessageHandler(filters.TEXT & ~filters.COMMAND, make_answer(i)),
            CallbackQueryHandler(make_answer(i)),
        ]
        for i in range(len(QUESTIONS))
    }
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states=states,
            fallbacks=[CommandHandler("start", start)],
            name="report",
            persistent=True,
        )
    )
    return app


async def serve(token: str, api: str, port: int, data: Path) -> None:
    app = build(token, api, data)

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), SECRET.encode()):
            return web.Response(status=403)
        await app.update_queue.put(Update.de_json(json.loads(await request.read()), app.bot))
        return web.Response()

    web_app = web.Application()
    web_app.router.add_post(WEBHOOK_PATH, webhook)
    runner = web.AppRunner(web_app, access_log=None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with app:
        await app.start()
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await app.bot.set_webhook(f"http://127.0.0.1:{port}{WEBHOOK_PATH}", secret_token=SECRET)
        await stop.wait()
        await runner.cleanup()
        await app.stop()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.telegram_baseline")
    parser.add_argument("--api", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    # per_message=False with button handlers is what such a bot uses; PTB warns about it.
    warnings.filterwarnings("ignore", category=PTBUserWarning)
    asyncio.run(serve(args.token, args.api, args.port, args.data))


if __name__ == "__main__":
    main(sys.argv[1:])
