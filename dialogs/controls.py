"""The engine's sentences that name how to answer, as each kind of channel needs them.

"Tap a button" is false in a terminal, and "type its number" is false on the web
page, whose buttons have no numbers. So a sentence that tells the reporter what
to do has a whole sentence per kind of channel (`Controls`), each its own msgid:
a translator translates full sentences, never a "{type_or_press}" word. A kind
without its own sentence uses the next simpler one: "buttons" → "choices" → the
base msgid; "typed" has its own or the base. Script text has the same per-kind
variants (`Step.variant`).
"""

from __future__ import annotations

from types import MappingProxyType

from dialogs import attachments, commands, parsers, readback
from dialogs._text import N_
from dialogs._types import SAYS_LIKE, Controls

__all__ = ["VARIANTS", "msgid_for"]

VARIANTS = MappingProxyType(
    {
        parsers.CHOICE_RANGE: {
            "typed": N_("Please answer with a number from 1 to {count}."),
            "buttons": N_("Please press the button of your answer."),
        },
        parsers.CHOICE_UNCLEAR: {
            "typed": N_("Sorry, I didn't understand. Please type a number from 1 to {count}."),
            "buttons": N_("Sorry, I didn't understand. Please press the button of your answer."),
        },
        parsers.CHOICE_WHICH: {
            "typed": N_(
                "Did you mean “{first}” ({first_number}) or “{second}” ({second_number})? "
                "Please type the number of the one you meant."
            ),
            "buttons": N_("Did you mean “{first}” or “{second}”? Please press the one you meant."),
        },
        parsers.MULTI_UNCLEAR: {
            "typed": N_("Please type the numbers of your answers, like 1, 3."),
            "buttons": N_("Please tick the answers that apply, then press Send."),
        },
        parsers.TEXT_YESNO_SKIP: {
            "buttons": N_(
                "Please type the answer itself. If you would rather leave this question out, "
                "press “Skip this question” under “More options”."
            ),
        },
        commands.HELP: {
            "buttons": N_(
                "You can use these buttons at any time. They are under “More options”.\n"
                "“Go back” – go back to the last question.\n"
                "“Skip this question” – leave out a question you don't have to answer.\n"
                "“Start again” – start again from the beginning.\n"
                "“Delete my answers” – delete your draft. Nothing is sent.\n"
                "“Help” – show this message.\n"
                "To use another language, choose it in the list at the bottom of the page."
            ),
        },
        commands.HINT_SKIP: {
            "buttons": N_(
                "To leave this question out, press “Skip this question” under “More options”."
            ),
        },
        commands.HINT_HELP: {
            "buttons": N_("If you are stuck, press “Help” under “More options”."),
        },
        commands.READBACK_UNCLEAR: {
            "buttons": N_(
                "Press “Change” next to an answer to change it, or press “Confirm and send”."
            ),
        },
        readback.CHANGE_HINT: {
            "buttons": N_("Press Change next to an answer to change it."),
        },
        attachments.RECEIVED: {
            "choices": N_(
                "Got it — files so far: {count}. Send more, or choose “{button}” when you have "
                "finished."
            ),
        },
        attachments.SEND_FILES: {
            "choices": N_(
                "Please send your evidence here as files: photos, PDFs, voice notes or videos. "
                "Choose “{button}” when you have finished, or if you have none."
            ),
        },
    }
)


def msgid_for(msgid: str, controls: Controls) -> str:
    """The msgid of `msgid`'s sentence for a channel with `controls`."""
    variants = VARIANTS.get(msgid)
    if variants is None:
        return msgid
    for kind in SAYS_LIKE[controls]:
        if kind in variants:
            return variants[kind]
    return msgid
