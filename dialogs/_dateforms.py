"""The other forms date words take: numbers in words, Welsh mutations, inflected months.

`dialogs._datewords` puts a language's date words into English; this module
gives it the forms a table cannot list one by one:

- number words up to twelve ("dwa tygodnie temu", "hace dos semanas") as digits;
- Welsh initial mutations ("nos Fawrth", "bythefnos", "fis diwethaf"): every
  Welsh phrase is also matched with its first letter softened, nasalised or
  aspirated;
- month names with a case ending or postposition joined on (Turkish "martta",
  Bengali "মার্চে", Gujarati "માર્ચમાં"), and the Levantine month names ("آذار").
"""

from __future__ import annotations

from collections.abc import Mapping

# Number words → digits; "few"-words count as 3, as English "a few" does in dates.
NUMBER_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
        "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
        "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30",
    },
    "cy": {
        "un": "1", "dau": "2", "dwy": "2", "tri": "3", "tair": "3", "pedwar": "4",
        "pedair": "4", "pump": "5", "pum": "5", "chwech": "6", "chwe": "6", "saith": "7",
        "wyth": "8", "naw": "9", "deg": "10", "ychydig": "3",
    },
    "pl": {
        "jeden": "1", "jedna": "1", "jedną": "1", "jednego": "1", "dwa": "2", "dwie": "2",
        "dwóch": "2", "trzy": "3", "trzech": "3", "cztery": "4", "czterech": "4",
        "pięć": "5", "sześć": "6", "siedem": "7", "osiem": "8", "dziewięć": "9",
        "dziesięć": "10", "jedenaście": "11", "dwanaście": "12", "kilka": "3", "parę": "2",
    },
    "ro": {
        "unu": "1", "una": "1", "o": "1", "un": "1", "doi": "2", "două": "2", "trei": "3",
        "patru": "4", "cinci": "5", "șase": "6", "șapte": "7", "opt": "8", "nouă": "9",
        "zece": "10", "câteva": "3", "câțiva": "3",
    },
    "pt": {
        "um": "1", "uma": "1", "dois": "2", "duas": "2", "três": "3", "quatro": "4",
        "cinco": "5", "seis": "6", "sete": "7", "oito": "8", "nove": "9", "dez": "10",
        "onze": "11", "doze": "12", "alguns": "3", "algumas": "3",
    },
    "es": {
        "un": "1", "una": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4",
        "cinco": "5", "seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "diez": "10",
        "once": "11", "doce": "12", "par de": "2", "un par de": "2", "unos": "about",
        "unas": "about", "algunos": "3", "algunas": "3",
    },
    "fr": {
        "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
        "six": "6", "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "onze": "11",
        "douze": "12", "quinze": "15", "quelques": "3",
    },
    "it": {
        "un": "1", "uno": "1", "una": "1", "due": "2", "tre": "3", "quattro": "4",
        "cinque": "5", "sei": "6", "sette": "7", "otto": "8", "nove": "9", "dieci": "10",
        "undici": "11", "dodici": "12", "qualche": "3",
    },
    "lt": {
        "vieną": "1", "vienas": "1", "du": "2", "dvi": "2", "tris": "3", "trys": "3",
        "keturis": "4", "keturias": "4", "penkis": "5", "penkias": "5", "šešis": "6",
        "septynis": "7", "aštuonis": "8", "devynis": "9", "dešimt": "10", "kelis": "3",
        "kelias": "3",
    },
    "tr": {
        "bir": "1", "iki": "2", "üç": "3", "dört": "4", "beş": "5", "altı": "6",
        "yedi": "7", "sekiz": "8", "dokuz": "9", "on": "10", "on bir": "11", "on iki": "12",
        "birkaç": "3",
    },
    "ar": {
        "واحد": "1", "اثنين": "2", "اثنان": "2", "ثلاث": "3", "ثلاثة": "3", "تلات": "3",
        "تلاتة": "3", "أربع": "4", "أربعة": "4", "خمس": "5", "خمسة": "5", "ست": "6",
        "ستة": "6", "سبع": "7", "سبعة": "7", "ثماني": "8", "ثمانية": "8", "تمن": "8",
        "تسع": "9", "تسعة": "9", "عشر": "10", "عشرة": "10", "بضعة": "3", "كم": "3",
    },
    "ur": {
        "ایک": "1", "دو": "2", "تین": "3", "چار": "4", "پانچ": "5", "چھ": "6", "سات": "7",
        "آٹھ": "8", "نو": "9", "دس": "10", "کچھ": "3", "ek": "1", "teen": "3",
        "char": "4", "panch": "5",
    },
    "bn": {
        "এক": "1", "দুই": "2", "দু": "2", "তিন": "3", "চার": "4", "পাঁচ": "5", "ছয়": "6",
        "সাত": "7", "আট": "8", "নয়": "9", "দশ": "10", "কয়েক": "3",
    },
    "pa": {
        "ਇੱਕ": "1", "ਇਕ": "1", "ਦੋ": "2", "ਤਿੰਨ": "3", "ਚਾਰ": "4", "ਪੰਜ": "5", "ਛੇ": "6",
        "ਸੱਤ": "7", "ਅੱਠ": "8", "ਨੌਂ": "9", "ਦਸ": "10", "ਕੁਝ": "3", "اک": "1", "دو": "2",
        "تن": "3", "چار": "4", "پنج": "5", "چھ": "6", "ست": "7", "اٹھ": "8", "دس": "10",
        "کجھ": "3",
    },
    "gu": {
        "એક": "1", "બે": "2", "ત્રણ": "3", "ચાર": "4", "પાંચ": "5", "છ": "6", "સાત": "7",
        "આઠ": "8", "નવ": "9", "દસ": "10", "થોડા": "3",
    },
    "so": {
        "hal": "1", "laba": "2", "saddex": "3", "afar": "4", "shan": "5", "lix": "6",
        "toddoba": "7", "siddeed": "8", "sagaal": "9", "toban": "10",
    },
    "ru": {
        "один": "1", "одна": "1", "одну": "1", "два": "2", "две": "2", "три": "3", "четыре": "4",
        "пять": "5", "шесть": "6", "семь": "7", "восемь": "8", "девять": "9", "десять": "10",
        "пару": "2", "пара": "2", "несколько": "3",
    },
    "uk": {
        "один": "1", "одна": "1", "одну": "1", "два": "2", "дві": "2", "три": "3", "чотири": "4",
        "п'ять": "5", "шість": "6", "сім": "7", "вісім": "8", "дев'ять": "9", "десять": "10",
        "пару": "2", "пара": "2", "кілька": "3", "декілька": "3",
    },
    "bg": {
        "един": "1", "една": "1", "две": "2", "два": "2", "три": "3", "четири": "4", "пет": "5",
        "шест": "6", "седем": "7", "осем": "8", "девет": "9", "десет": "10", "няколко": "3",
        "малко": "3",
    },
    "sk": {
        "jeden": "1", "jedna": "1", "jednou": "1", "dva": "2", "dve": "2", "dvoma": "2",
        "dvomi": "2", "tri": "3", "troma": "3", "tromi": "3", "štyri": "4", "štyrmi": "4",
        "päť": "5", "šesť": "6", "sedem": "7", "osem": "8", "deväť": "9", "desať": "10",
        "pár": "2", "niekoľko": "3", "niekoľkými": "3",
    },
    "hu": {
        "egy": "1", "két": "2", "kettő": "2", "három": "3", "négy": "4", "öt": "5", "hat": "6",
        "hét": "7", "nyolc": "8", "kilenc": "9", "tíz": "10", "pár": "2", "néhány": "3",
    },
    "sq": {
        "një": "1", "dy": "2", "tre": "3", "tri": "3", "katër": "4", "pesë": "5", "gjashtë": "6",
        "shtatë": "7", "tetë": "8", "nëntë": "9", "dhjetë": "10", "disa": "3", "ca": "3",
    },
    "vi": {
        "một": "1", "hai": "2", "ba": "3", "bốn": "4", "tư": "4", "năm": "5", "sáu": "6",
        "bảy": "7", "tám": "8", "chín": "9", "mười": "10", "vài": "3", "mấy": "3",
    },
    "zh": {
        "一": "1", "两": "2", "兩": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
        "七": "7", "八": "8", "九": "9", "十": "10", "几": "3", "幾": "3",
    },
    "fa": {
        "یک": "1", "یه": "1", "دو": "2", "سه": "3", "چهار": "4", "پنج": "5", "شش": "6",
        "هفت": "7", "هشت": "8", "ده": "10", "چند": "3",
    },
    "ps": {
        "یو": "1", "یوه": "1", "دوه": "2", "درې": "3", "دری": "3", "څلور": "4", "پنځه": "5",
        "شپږ": "6", "اووه": "7", "اته": "8", "نهه": "9", "لس": "10", "څو": "3",
    },
    "ckb": {
        "یەک": "1", "دوو": "2", "سێ": "3", "چوار": "4", "پێنج": "5", "شەش": "6", "حەوت": "7",
        "هەشت": "8", "نۆ": "9", "دە": "10", "چەند": "3",
    },
    "ta": {
        "ஒன்று": "1", "ஒரு": "1", "இரண்டு": "2", "ரெண்டு": "2", "மூன்று": "3", "மூணு": "3",
        "நான்கு": "4", "ஐந்து": "5", "ஆறு": "6", "ஏழு": "7", "எட்டு": "8", "ஒன்பது": "9",
        "பத்து": "10", "சில": "3",
    },
    "ti": {
        "ሓደ": "1", "ክልተ": "2", "ሰለስተ": "3", "ኣርባዕተ": "4", "ሓሙሽተ": "5", "ሽዱሽተ": "6", "ሸውዓተ": "7",
        "ሸሞንተ": "8", "ትሽዓተ": "9", "ዓሰርተ": "10", "ገለ": "3",
    },
}  # fmt: skip

# Welsh initial mutations: soft (after "ei" his, "nos", feminine nouns), nasal
# ("fy" my, "yn" in) and aspirate ("ei" her). Longest first: "ll" before "l".
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"),
         ("d", "dd"), ("g", ""), ("m", "f"))  # fmt: skip
_NASAL = (("p", "mh"), ("t", "nh"), ("c", "ngh"), ("b", "m"), ("d", "n"), ("g", "ng"))
_ASPIRATE = (("p", "ph"), ("t", "th"), ("c", "ch"))


def welsh_mutations(phrase: str) -> set[str]:
    """The phrase with each of its words' first letter mutated as Welsh does."""
    forms = {phrase}
    words = phrase.split()
    for index, word in enumerate(words):
        for table in (_SOFT, _NASAL, _ASPIRATE):
            for plain, mutated in table:
                if word.startswith(plain) and not (plain == "c" and word.startswith("ch")):
                    changed = [*words[:index], mutated + word[len(plain) :], *words[index + 1 :]]
                    forms.add(" ".join(changed))
                    break
    return forms


# Endings joined onto a month name: Turkish locative (all vowel-harmony forms),
# Bengali locative "-e", Gujarati "-māṁ", Somali "-ka/-da".
_MONTH_ENDINGS: Mapping[str, tuple[str, ...]] = {
    "tr": ("da", "de", "ta", "te", "'da", "'de", "'ta", "'te", "ın", "in", "un", "ün"),
    "bn": ("ে", "য়", " মাসে"),
    "gu": ("માં", " મહિનામાં"),
    "pa": (" ਵਿੱਚ", " ਮਹੀਨੇ"),
    "ur": (" میں", " کے مہینے"),
    "so": ("ka", "da"),
}

# Month names of the Levant and Iraq, written beside or instead of "مارس".
LEVANTINE_MONTHS: Mapping[str, str] = {
    "كانون الثاني": "january", "شباط": "february", "آذار": "march", "اذار": "march",
    "نيسان": "april", "أيار": "may", "ايار": "may", "حزيران": "june", "تموز": "july",
    "آب": "august", "اب": "august", "أيلول": "september", "ايلول": "september",
    "تشرين الأول": "october", "تشرين الاول": "october", "تشرين الثاني": "november",
    "كانون الأول": "december", "كانون الاول": "december",
}  # fmt: skip

_ENGLISH_MONTHS = frozenset(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september")
) | {"october", "november", "december"}


def inflected(language: str, words: Mapping[str, str]) -> dict[str, str]:
    """Month names of `words` (phrase → English) with the language's endings joined on."""
    endings = _MONTH_ENDINGS.get(language, ())
    out: dict[str, str] = {}
    for phrase, english in words.items():
        if english in _ENGLISH_MONTHS:
            for ending in endings:
                out.setdefault(phrase + ending, english)
    return out


# "last week / month / year", and units and "ago" where dateparser lacks them.
PERIOD_WORDS: Mapping[str, Mapping[str, str]] = {
    "cy": {
        "wythnos diwethaf": "last week", "wythnos ddiwethaf": "last week",
        "yr wythnos diwethaf": "last week", "mis diwethaf": "last month",
        "y mis diwethaf": "last month", "llynedd": "last year", "y llynedd": "last year",
        "blwyddyn diwethaf": "last year", "pythefnos": "2 weeks", "yn ôl": "ago",
        "wythnos": "week", "wythnosau": "weeks", "diwrnod": "days", "diwrnodau": "days",
        "dyddiau": "days", "mis": "month", "misoedd": "months", "blynedd": "years",
        "blwyddyn": "year", "nos": "night",
    },
    "pl": {
        "w zeszłym tygodniu": "last week", "w ubiegłym tygodniu": "last week",
        "zeszły tydzień": "last week", "w zeszłym miesiącu": "last month",
        "w ubiegłym miesiącu": "last month", "zeszły miesiąc": "last month",
        "w zeszłym roku": "last year", "w ubiegłym roku": "last year",
        "zeszły rok": "last year",
    },
    "ro": {
        "săptămâna trecută": "last week", "luna trecută": "last month",
        "anul trecut": "last year",
    },
    "pt": {
        "na semana passada": "last week", "semana passada": "last week",
        "no mês passado": "last month", "mês passado": "last month",
        "no ano passado": "last year", "ano passado": "last year",
    },
    "es": {
        "la semana pasada": "last week", "semana pasada": "last week",
        "el mes pasado": "last month", "mes pasado": "last month",
        "el año pasado": "last year", "año pasado": "last year",
    },
    "fr": {
        "la semaine dernière": "last week", "semaine dernière": "last week",
        "le mois dernier": "last month", "mois dernier": "last month",
        "l'année dernière": "last year", "l'an dernier": "last year",
        "année dernière": "last year",
    },
    "it": {
        "la settimana scorsa": "last week", "settimana scorsa": "last week",
        "la scorsa settimana": "last week", "il mese scorso": "last month",
        "mese scorso": "last month", "l'anno scorso": "last year", "anno scorso": "last year",
        "a": "",
    },
    "lt": {
        "praėjusią savaitę": "last week", "praeitą savaitę": "last week",
        "praėjusį mėnesį": "last month", "praeitą mėnesį": "last month",
        "praėjusiais metais": "last year", "pernai": "last year",
    },
    "tr": {
        "geçen hafta": "last week", "geçen ay": "last month", "geçen yıl": "last year",
        "geçen sene": "last year", "geçtiğimiz hafta": "last week",
    },
    "ar": {
        "الأسبوع الماضي": "last week", "الاسبوع الماضي": "last week",
        "الشهر الماضي": "last month", "السنة الماضية": "last year",
        "العام الماضي": "last year", "السنة اللي فاتت": "last year",
        "الأسبوع اللي فات": "last week", "الشهر اللي فات": "last month",
    },
    "ur": {
        "پچھلے ہفتے": "last week", "گزشتہ ہفتے": "last week", "پچھلے مہینے": "last month",
        "گزشتہ ماہ": "last month", "پچھلے سال": "last year", "گزشتہ سال": "last year",
    },
    "bn": {
        "গত সপ্তাহে": "last week", "গত সপ্তাহ": "last week", "গত মাসে": "last month",
        "গত মাস": "last month", "গত বছর": "last year", "গত বছরে": "last year",
    },
    "pa": {
        "ਪਿਛਲੇ ਹਫ਼ਤੇ": "last week", "ਪਿਛਲੇ ਹਫਤੇ": "last week", "ਪਿਛਲੇ ਮਹੀਨੇ": "last month",
        "ਪਿਛਲੇ ਸਾਲ": "last year", "ਪਿਛਲੇ ਵਰ੍ਹੇ": "last year", "پچھلے ہفتے": "last week",
        "پچھلے مہینے": "last month", "پچھلے سال": "last year", "پچھلے": "last",
    },
    "gu": {
        "ગયા અઠવાડિયે": "last week", "ગયા અઠવાડિયા": "last week", "ગયા મહિને": "last month",
        "ગયા વર્ષે": "last year", "ગયે વર્ષે": "last year",
    },
    "so": {
        "toddobaadkii hore": "last week", "todobaadkii hore": "last week",
        "usbuucii hore": "last week", "toddobaadkii la soo dhaafay": "last week",
        "bishii hore": "last month", "bishii la soo dhaafay": "last month",
        "sanadkii hore": "last year", "sannadkii hore": "last year",
        "sanadkii la soo dhaafay": "last year", "ka hor": "ago", "kahor": "ago",
        "toddobaad": "weeks", "todobaad": "weeks", "usbuuc": "weeks", "maalmood": "days",
        "maalin": "day", "bilood": "months", "bil": "month", "sano": "years",
        "sanadood": "years",
    },
    "ru": {
        "на прошлой неделе": "last week", "прошлая неделя": "last week",
        "в прошлом месяце": "last month", "прошлый месяц": "last month",
        "в прошлом году": "last year", "прошлый год": "last year",
    },
    "uk": {
        "минулого тижня": "last week", "на минулому тижні": "last week",
        "минулий тиждень": "last week", "минулого місяця": "last month",
        "минулий місяць": "last month", "минулого року": "last year", "торік": "last year",
        "минулий рік": "last year",
    },
    "bg": {
        "миналата седмица": "last week", "предната седмица": "last week",
        "миналия месец": "last month", "предния месец": "last month",
        "миналата година": "last year", "предната година": "last year", "миналата": "last",
        "миналия": "last",
    },
    "sk": {
        "minulý týždeň": "last week", "minulého týždňa": "last week",
        "minulý mesiac": "last month", "minulý rok": "last year", "vlani": "last year",
        "minulý": "last", "minulú": "last",
    },
    "hu": {
        "múlt héten": "last week", "a múlt héten": "last week", "múlt hónapban": "last month",
        "a múlt hónapban": "last month", "tavaly": "last year", "múlt évben": "last year",
    },
    "sq": {
        "javën e kaluar": "last week", "java e kaluar": "last week",
        "muajin e kaluar": "last month", "muaji i kaluar": "last month",
        "vitin e kaluar": "last year", "vjet": "last year",
    },
    "vi": {
        "tuần trước": "last week", "tuần rồi": "last week", "tháng trước": "last month",
        "tháng rồi": "last month", "năm ngoái": "last year", "năm trước": "last year",
        "năm rồi": "last year",
    },
    "zh": {
        "上周": "last week", "上週": "last week", "上星期": "last week", "上个星期": "last week",
        "上個星期": "last week", "上个礼拜": "last week", "上個禮拜": "last week",
        "上礼拜": "last week", "上禮拜": "last week", "上个月": "last month",
        "上個月": "last month", "去年": "last year", "上年": "last year", "三月": "march",
        "3月": "march",
    },
    "fa": {
        "هفته پیش": "last week", "هفته گذشته": "last week", "هفته قبل": "last week",
        "ماه پیش": "last month", "ماه گذشته": "last month", "ماه قبل": "last month",
        "سال پیش": "last year", "سال گذشته": "last year", "پارسال": "last year", "گذشته": "last",
    },
    "ps": {
        "تېره اونۍ": "last week", "تیره اونۍ": "last week", "پخوانۍ اونۍ": "last week",
        "تېره میاشت": "last month", "تیره میاشت": "last month", "تېر کال": "last year",
        "تیر کال": "last year", "پروسږکال": "last year", "تېره": "last", "تېر": "last",
    },
    "ckb": {
        "هەفتەی ڕابردوو": "last week", "هەفتەی پێشوو": "last week",
        "مانگی ڕابردوو": "last month", "مانگی پێشوو": "last month", "ساڵی ڕابردوو": "last year",
        "ساڵی پار": "last year", "پار": "last year", "ڕابردوو": "last",
    },
    "ta": {
        "கடந்த வாரம்": "last week", "போன வாரம்": "last week", "கடந்த மாதம்": "last month",
        "போன மாசம்": "last month", "கடந்த ஆண்டு": "last year", "போன வருஷம்": "last year",
        "கடந்த வருடம்": "last year", "கடந்த": "last", "போன": "last",
    },
    "ti": {
        "ዝሓለፈ ሰሙን": "last week", "ዝሓለፈ ወርሒ": "last month", "ዝሓለፈ ዓመት": "last year",
        "ዓሚ": "last year", "ዝሓለፈ": "last",
    },
}  # fmt: skip
