"""Ordinary answers to the shipped script's questions are understood, never stored wrongly."""

from __future__ import annotations

import pytest

from tests.locales.talk import UNKNOWN, Talk

KNOW_QUESTIONS = ("officer_name", "rank", "number", "force", "where", "description")


@pytest.mark.parametrize("step", KNOW_QUESTIONS)
@pytest.mark.parametrize(
    ("locale", "said"),
    [("en", "no"), ("en", "Nope"), ("ar", "لا"), ("cy", "na"), ("pl", "nie"), ("tr", "yok")],
)
def test_a_bare_no_to_a_do_you_know_question_means_unknown_not_the_answer(
    step: str, locale: str, said: str
) -> None:
    talk = Talk(locale).to(step)
    talk.say(said)
    assert talk.stored(step) == UNKNOWN


@pytest.mark.parametrize("step", KNOW_QUESTIONS)
@pytest.mark.parametrize(("locale", "said"), [("en", "yes"), ("es", "sí"), ("ar", "نعم")])
def test_a_bare_yes_to_a_text_question_is_asked_again_not_stored(
    step: str, locale: str, said: str
) -> None:
    talk = Talk(locale).to(step)
    talk.say(said)
    assert talk.step == step
    assert talk.stored(step) == "<not stored>"
    assert talk.asked.step == step


def test_a_name_that_is_not_a_yes_or_no_word_is_kept() -> None:
    talk = Talk("en").to("officer_name")
    talk.say("Nolan")
    assert talk.stored("officer_name") == "Nolan"
    talk = Talk("en").to("number")
    talk.say("2")  # part of a collar number, not the "no" button
    assert talk.stored("number") == "2"


def test_a_bare_no_where_dont_know_is_not_offered_is_asked_again() -> None:
    talk = Talk("en").to("at_risk")
    talk.say("yes")
    assert talk.step == "at_risk_detail"
    talk.say("no")
    assert talk.step == "at_risk_detail"
    assert talk.stored("at_risk_detail") == "<not stored>"


@pytest.mark.parametrize(("step", "said"), [("evidence", "no"), ("contact_name", "nie")])
def test_a_bare_no_to_an_optional_question_asks_for_the_answer_or_skip(
    step: str, said: str
) -> None:
    talk = Talk("pl").to("anonymity" if step == "contact_name" else step)
    if step == "contact_name":
        talk.say("2")  # leave contact details
    assert talk.step == step
    talk.say(said)
    assert talk.stored(step) == "<not stored>"
    assert talk.step == step
    skip = "pomiń"
    assert skip in talk.texts[0]  # the word that works, in the reporter's language
    talk.say(skip)
    assert talk.step != step


# The answers the issue found asked again, each with the option it means.
CHOSEN = [
    ("pl", "category", "łapówka", "money"),
    ("pl", "category", "lapowka", "money"),
    ("ar", "category", "رشوة", "money"),
    ("es", "category", "racismo", "discrimination"),
    ("ar", "who_role", "شرطي", "officer"),
    ("es", "who_role", "un policía", "officer"),
    ("es", "who_role", "un policia", "officer"),
    ("pl", "duty", "był w pracy, w mundurze", "on_duty"),
    ("pl", "duty", "byl w pracy w mundurze", "on_duty"),
    ("es", "duty", "estaba de servicio", "on_duty"),
    ("ar", "duty", "كان في الخدمة", "on_duty"),
    ("en", "duty", "yes", "on_duty"),
    ("en", "duty", "nah he was off work", "off_duty"),
    ("es", "duty", "no estaba de servicio", "off_duty"),
    ("cy", "duty", "oedd", "on_duty"),
    ("cy", "duty", "nac oedd", "off_duty"),
    ("pl", "how_know", "to mi się przydarzyło", "to_me"),
    ("ar", "how_know", "حدث معي", "to_me"),
    ("cy", "how_know", "dywedodd fy chwaer wrtha i", "told"),
    ("cy", "reported_before", "naddo", "no"),
    ("en", "reported_before", "nope", "no"),
    ("pl", "anonymity", "anonimowo", "anonymous"),
    ("es", "anonymity", "anónimo", "anonymous"),
    ("es", "anonymity", "anonimo", "anonymous"),
]


@pytest.mark.parametrize(("locale", "step", "said", "meant"), CHOSEN)
def test_an_option_is_understood_from_the_words_people_type(
    locale: str, step: str, said: str, meant: str
) -> None:
    talk = Talk(locale).to(step)
    talk.say(said)
    assert talk.stored(step) == meant


@pytest.mark.parametrize(
    ("locale", "said"), [("pl", "potwierdź"), ("es", "confirmar"), ("ar", "تأكيد")]
)
def test_the_read_back_is_confirmed_in_the_reporters_words(locale: str, said: str) -> None:
    talk = Talk(locale).to("review")
    assert talk.say(said).outcome == "confirmed"


@pytest.mark.parametrize("said", ["maybe", "send it later", "I want to change 3"])
def test_other_words_at_the_read_back_never_send_the_report(said: str) -> None:
    talk = Talk("en").to("review")
    assert talk.say(said).outcome == "continue"
