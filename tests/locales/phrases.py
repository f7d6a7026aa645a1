"""What a reporter types in each shipped language, written by hand (not from the catalogs).

`story` is a free-text account, `evening` says "yesterday evening" the way people
type it, `today` says "today", `ongoing` says it is still happening.
"""

from __future__ import annotations

from typing import TypedDict


class Typed(TypedDict):
    story: str
    evening: str
    today: str
    ongoing: str


TYPED: dict[str, Typed] = {
    "en": {"story": "He took money to drop a case.", "evening": "yesterday evening",
           "today": "today", "ongoing": "still happening"},
    "cy": {"story": "Cymerodd e arian i ollwng achos.", "evening": "ddoe gyda'r nos",
           "today": "heddiw", "ongoing": "yn dal i ddigwydd"},
    "pl": {"story": "Wziął pieniądze, żeby umorzyć sprawę.", "evening": "wczoraj wieczorem",
           "today": "dzisiaj", "ongoing": "trwa"},
    "ro": {"story": "A luat bani ca să închidă dosarul.", "evening": "aseară",
           "today": "azi", "ongoing": "încă se întâmplă"},
    "pt": {"story": "Ele aceitou dinheiro para arquivar o caso.", "evening": "ontem à noite",
           "today": "hoje", "ongoing": "em curso"},
    "es": {"story": "Aceptó dinero para cerrar el caso.", "evening": "ayer por la noche",
           "today": "hoy", "ongoing": "sigue pasando"},
    "fr": {"story": "Il a pris de l'argent pour classer l'affaire.", "evening": "hier soir",
           "today": "aujourd'hui", "ongoing": "en cours"},
    "it": {"story": "Ha preso soldi per chiudere il caso.", "evening": "ieri sera",
           "today": "oggi", "ongoing": "in corso"},
    "lt": {"story": "Jis paėmė pinigų, kad nutrauktų bylą.", "evening": "vakar vakare",
           "today": "šiandien", "ongoing": "vis dar vyksta"},
    "tr": {"story": "Davayı kapatmak için para aldı.", "evening": "dün akşam",
           "today": "bugün", "ongoing": "devam ediyor"},
    "ar": {"story": "أخذ مالًا ليغلق القضية.", "evening": "أمس مساءً",
           "today": "اليوم", "ongoing": "لا يزال يحدث"},
    "ur": {"story": "اس نے کیس ختم کرنے کے لیے پیسے لیے۔", "evening": "کل شام",
           "today": "آج", "ongoing": "جاری ہے"},
    "bn": {"story": "মামলা বন্ধ করতে তিনি টাকা নিয়েছেন।", "evening": "গতকাল সন্ধ্যায়",
           "today": "আজ", "ongoing": "এখনও চলছে"},
    "pa": {"story": "ਉਸਨੇ ਕੇਸ ਬੰਦ ਕਰਨ ਲਈ ਪੈਸੇ ਲਏ।", "evening": "ਕੱਲ੍ਹ ਸ਼ਾਮ ਨੂੰ",
           "today": "ਅੱਜ", "ongoing": "ਹਾਲੇ ਵੀ ਹੋ ਰਿਹਾ ਹੈ"},
    "gu": {"story": "તેણે કેસ બંધ કરવા પૈસા લીધા.", "evening": "ગઈકાલે સાંજે",
           "today": "આજે", "ongoing": "હજુ ચાલુ છે"},
    "so": {"story": "Lacag ayuu qaatay si uu kiiska u xiro.", "evening": "shalay fiidkii",
           "today": "maanta", "ongoing": "wali socda"},
    "pt-BR": {"story": "Ele aceitou propina para arquivar o caso.", "evening": "ontem à noite",
              "today": "hoje", "ongoing": "em andamento"},
    "ru": {"story": "Он взял деньги, чтобы закрыть дело.", "evening": "вчера вечером",
        "today": "сегодня", "ongoing": "продолжается"},
    "uk": {"story": "Він узяв гроші, щоб закрити справу.", "evening": "вчора ввечері",
        "today": "сьогодні", "ongoing": "досі триває"},
    "bg": {"story": "Той взе пари, за да прекрати делото.", "evening": "вчера вечерта",
        "today": "днес", "ongoing": "още продължава"},
    "sk": {"story": "Zobral peniaze, aby zastavil prípad.", "evening": "včera večer",
        "today": "dnes", "ongoing": "stále trvá"},
    "hu": {"story": "Pénzt fogadott el, hogy lezárja az ügyet.", "evening": "tegnap este",
        "today": "ma", "ongoing": "még tart"},
    "sq": {"story": "Ai mori para për ta mbyllur çështjen.", "evening": "dje në mbrëmje",
        "today": "sot", "ongoing": "ende po ndodh"},
    "vi": {"story": "Anh ta nhận tiền để bỏ qua vụ việc.", "evening": "tối qua",
        "today": "hôm nay", "ongoing": "vẫn đang tiếp diễn"},
    "zh-Hans": {"story": "他收了钱，把案子撤了。", "evening": "昨天晚上",
        "today": "今天", "ongoing": "还在继续"},
    "zh-Hant": {"story": "他收了錢，把案子撤了。", "evening": "昨天晚上",
        "today": "今天", "ongoing": "還在繼續"},
    "fa": {"story": "او پول گرفت تا پرونده را ببندد.", "evening": "دیروز عصر",
        "today": "امروز", "ongoing": "هنوز ادامه دارد"},
    "ps": {"story": "هغه پیسې واخیستې چې قضیه وتړي.", "evening": "پرون ماښام",
        "today": "نن", "ongoing": "لا هم روان دی"},
    "ckb": {"story": "پارەی وەرگرت بۆ ئەوەی دۆسیەکە دابخات.", "evening": "دوێنێ ئێوارە",
        "today": "ئەمڕۆ", "ongoing": "هێشتا بەردەوامە"},
    "pa-Arab": {"story": "اوہنے کیس بند کرن لئی پیسے لئے۔", "evening": "کل شام",
        "today": "اج", "ongoing": "جاری اے"},
    "ta": {"story": "வழக்கை மூட அவர் பணம் வாங்கினார்.", "evening": "நேற்று மாலை",
        "today": "இன்று", "ongoing": "இன்னும் தொடர்கிறது"},
    "ti": {"story": "ነቲ ጉዳይ ንምዕጻው ገንዘብ ወሲዱ።", "evening": "ትማሊ ምሸት",
        "today": "ሎሚ", "ongoing": "ገና ይቕጽል ኣሎ"},
}  # fmt: skip
