"""The language of a typed account is recognised to offer a switch; short answers are not judged."""

from __future__ import annotations

import pytest

from dialogs.detect import offer_switch, written_in
from locales import LANGUAGES, language_of
from tests.locales.phrases import TYPED

ACCOUNTS = {
    "en": "He stopped me in the street and said he would arrest me unless I paid him.",
    "cy": "Fe wnaeth e fy stopio yn y stryd a dweud y byddai'n fy arestio oni bai fy mod i'n talu.",
    "pl": "zatrzymal mnie na ulicy i powiedzial ze mnie aresztuje jesli mu nie zaplace",
    "ro": "m-a oprit pe strada si a zis ca ma aresteaza daca nu ii dau bani",
    "pt": "ele parou-me na rua e disse que me prendia se eu nao lhe pagasse",
    "es": "me paro en la calle y me dijo que me iba a detener si no le pagaba",
    "fr": "il m'a arrete dans la rue et a dit qu'il m'arreterait si je ne le payais pas",
    "it": "mi ha fermato per strada e ha detto che mi avrebbe arrestato se non lo pagavo",
    "lt": "jis sustabde mane gatveje ir pasake kad mane suims jei jam nesumokesiu",
    "tr": "beni sokakta durdurdu ve para vermezsem beni tutuklayacagini soyledi",
    "ar": "أوقفني في الشارع وقال إنه سيعتقلني إذا لم أدفع له المال",
    "ur": "اس نے مجھے سڑک پر روکا اور کہا کہ اگر میں نے پیسے نہ دیے تو وہ مجھے گرفتار کرے گا",
    "bn": "তিনি আমাকে রাস্তায় থামিয়ে বললেন টাকা না দিলে আমাকে গ্রেপ্তার করবেন",
    "pa": "ਉਸਨੇ ਮੈਨੂੰ ਸੜਕ 'ਤੇ ਰੋਕਿਆ ਅਤੇ ਕਿਹਾ ਕਿ ਜੇ ਮੈਂ ਪੈਸੇ ਨਾ ਦਿੱਤੇ ਤਾਂ ਉਹ ਮੈਨੂੰ ਗ੍ਰਿਫ਼ਤਾਰ ਕਰੇਗਾ",
    "gu": "તેણે મને રસ્તામાં રોક્યો અને કહ્યું કે જો હું પૈસા નહીં આપું તો તે મને પકડી લેશે",
    "so": "wuxuu igu joojiyay waddada wuxuuna yiri waan ku xiri doonaa haddii aadan lacag i siin",
    "pt-BR": "ele me parou na rua e falou que ia me prender se eu nao pagasse uma propina",
    "ru": "он остановил меня на улице и сказал что арестует меня если я не заплачу ему деньги",
    "uk": "він зупинив мене на вулиці і сказав що заарештує мене якщо я не заплачу йому гроші",
    "bg": "той ме спря на улицата и каза че ще ме арестува ако не му платя пари веднага",
    "sk": "zastavil ma na ulici a povedal ze ma zatkne ak mu nezaplatim peniaze hned",
    "hu": "megallitott az utcan es azt mondta hogy letartoztat ha nem fizetek neki penzt azonnal",
    "sq": "me ndaloi ne rruge dhe me tha qe do me arrestonte nese nuk i jepja para menjehere",
    # Vietnamese without its tone marks is not told apart: phones add them as people type.
    "vi": "anh ta chặn tôi lại trên đường và nói sẽ bắt tôi nếu tôi không đưa tiền cho anh ta",
    "zh-Hans": "他在街上拦住我，说如果我不给他钱就要逮捕我",
    "zh-Hant": "佢喺街度截停我，話如果我唔俾錢佢就會拉我",
    "fa": "او مرا در خیابان نگه داشت و گفت اگر به او پول ندهم مرا بازداشت می‌کند",
    "ps": "هغه زه په سړک کې ودرولم او ویې ویل چې که پیسې ورنه کړم نو ما به ونیسي",
    "ckb": "لە شەقام ڕایگرتم و وتی ئەگەر پارەی نەدەمێ دەمگرێت و دەمباتە بنکەی پۆلیس",
    "pa-Arab": "اوہنے مینوں سڑک تے روکیا تے کہیا کہ جے میں پیسے نہ دتے تاں اوہ مینوں پھڑ لوے گا",
    "ta": "அவர் என்னைத் தெருவில் நிறுத்தி பணம் கொடுக்காவிட்டால் கைது செய்வேன் என்று சொன்னார்",
    "ti": "ኣብ ጎደና ደው ኣቢሉኒ ገንዘብ እንተ ዘይሂብካኒ ክኣስረካ እየ ኢሉኒ",
}


# Shahmukhi Punjabi is written with Urdu's letters: it is recognised as Urdu.
SAME_SCRIPT = {"pa-Arab": "ur"}


def expected(code: str) -> str:
    return SAME_SCRIPT.get(code, language_of(code))


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_an_account_typed_as_on_a_phone_is_recognised(code: str) -> None:
    assert written_in(ACCOUNTS[code]) == expected(code)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_a_switch_is_offered_only_from_another_language(code: str) -> None:
    other = "pl" if code != "pl" else "en"
    offered = offer_switch(ACCOUNTS[code], other, LANGUAGES)
    assert offered is not None
    assert language_of(offered) == expected(code)
    assert offer_switch(ACCOUNTS[code], code, LANGUAGES) is None


@pytest.mark.parametrize("text", ["nie wiem", "estaba de servicio", "no", "Brixton", "12/03/2025"])
def test_short_answers_are_never_judged(text: str) -> None:
    assert written_in(text) is None


def test_the_hand_written_stories_are_recognised_where_long_enough() -> None:
    for code, typed in TYPED.items():
        found = written_in(typed["story"])
        assert found in (None, expected(code)), (code, found)
