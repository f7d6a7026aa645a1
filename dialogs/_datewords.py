"""Date words of each shipped language, put into the English the date reader knows.

`dateparser` reads "wczoraj" or "3 hafta önce" in their own language, but not
part of the day ("wczoraj wieczorem"), "still happening", or words it lacks
(Punjabi "ਕੱਲ੍ਹ", Arabic "البارحة"). `to_english` swaps such phrases for the
English ones `dialogs.dates` already handles ("yesterday evening", "ongoing"),
as well as weekday and month names (from Babel's CLDR data), and puts "last"
and "ago" where English has them: "dydd Mawrth diwethaf" → "last tuesday".
Numbers in words, "last week", Welsh mutations and inflected month names come
from `_dateforms`. Words not listed are left for dateparser to read in the
reporter's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from dialogs._dateforms import (
    LEVANTINE_MONTHS,
    NUMBER_WORDS,
    PERIOD_WORDS,
    inflected,
    welsh_mutations,
)

# phrase as typed → English ("" drops a word that only joins others, like Polish "w").
DATE_WORDS: Mapping[str, Mapping[str, str]] = {
    "cy": {
        "heddiw": "today", "ddoe": "yesterday", "echdoe": "day before yesterday",
        "neithiwr": "last night", "bore 'ma": "this morning", "bore yma": "this morning",
        "heno": "tonight", "yn y bore": "morning", "bore": "morning", "prynhawn": "afternoon",
        "gyda'r nos": "evening", "noswaith": "evening", "nos": "night", "yn y nos": "night",
        "yn dal i ddigwydd": "ongoing", "parhaus": "ongoing", "o hyd": "ongoing",
        "diwethaf": "last", "dydd": "", "ddydd": "", "ar": "",
    },
    "pl": {
        "dzisiaj": "today", "dziś": "today", "wczoraj": "yesterday",
        "przedwczoraj": "day before yesterday", "rano": "morning", "rankiem": "morning",
        "po południu": "afternoon", "wieczorem": "evening", "wieczór": "evening",
        "w nocy": "night", "nocą": "night", "zeszłej nocy": "last night",
        "nadal trwa": "ongoing", "wciąż trwa": "ongoing", "ciągle trwa": "ongoing",
        "trwa": "ongoing", "nadal się dzieje": "ongoing", "wciąż się dzieje": "ongoing",
        "zeszły": "last", "zeszłym": "last", "zeszłej": "last", "zeszłą": "last",
        "ostatni": "last", "ostatnią": "last", "ostatnim": "last", "w": "", "we": "",
        "około": "about", "mniej więcej": "about",
    },
    "ro": {
        "azi": "today", "astăzi": "today", "ieri": "yesterday",
        "alaltăieri": "day before yesterday", "aseară": "yesterday evening",
        "azi-noapte": "last night", "azi noapte": "last night", "dimineață": "morning",
        "dimineața": "morning", "după-amiază": "afternoon", "după-amiaza": "afternoon",
        "după amiază": "afternoon", "seara": "evening", "seară": "evening",
        "noaptea": "night", "noapte": "night", "încă se întâmplă": "ongoing",
        "se întâmplă încă": "ongoing", "în curs": "ongoing", "continuă": "ongoing",
        "trecut": "last", "trecută": "last", "trecutul": "last", "pe": "", "în": "",
        "cam": "about", "aproximativ": "about", "vreo": "about", "lunea": "monday",
        "marțea": "tuesday",
        "miercurea": "wednesday", "joia": "thursday", "vinerea": "friday",
        "sâmbăta": "saturday", "duminica": "sunday",
    },
    "pt": {
        "hoje": "today", "ontem": "yesterday", "anteontem": "day before yesterday",
        "de manhã": "morning", "manhã": "morning", "à tarde": "afternoon",
        "de tarde": "afternoon", "à noite": "evening", "de noite": "night",
        "de madrugada": "night", "madrugada": "night", "durante a noite": "night",
        "ontem à noite": "yesterday evening",
        "ainda acontece": "ongoing", "ainda está a acontecer": "ongoing",
        "ainda está acontecendo": "ongoing", "continua": "ongoing", "em curso": "ongoing",
        "em andamento": "ongoing", "faz": "há",  # Brazilian "faz 2 semanas" = "há 2 semanas"
        "passado": "last", "passada": "last", "em": "", "no": "", "na": "", "de": "",
        "cerca de": "about", "mais ou menos": "about", "por volta de": "about",
    },
    "es": {
        "hoy": "today", "ayer": "yesterday", "anteayer": "day before yesterday",
        "antier": "day before yesterday", "anoche": "last night", "esta noche": "tonight",
        "esta mañana": "this morning", "por la mañana": "morning",
        "de la mañana": "morning", "esta tarde": "this afternoon",
        "por la tarde": "afternoon", "de la tarde": "afternoon", "por la noche": "evening",
        "de la noche": "evening", "de madrugada": "night", "madrugada": "night",
        "todavía pasa": "ongoing",
        "sigue pasando": "ongoing", "sigue ocurriendo": "ongoing", "aún pasa": "ongoing",
        "en curso": "ongoing", "continúa": "ongoing", "pasado": "last", "pasada": "last",
        "el": "", "la": "", "en": "", "de": "", "del": "", "más o menos": "about",
        "alrededor de": "about",
    },
    "fr": {
        "aujourd'hui": "today", "hier": "yesterday", "avant-hier": "day before yesterday",
        "ce matin": "this morning", "le matin": "morning", "matin": "morning",
        "l'après-midi": "afternoon", "après-midi": "afternoon", "ce soir": "this evening",
        "le soir": "evening", "soir": "evening", "la nuit dernière": "last night",
        "la nuit": "night", "nuit": "night", "en cours": "ongoing",
        "ça continue": "ongoing", "toujours en cours": "ongoing", "encore maintenant": "ongoing",
        "dernier": "last", "dernière": "last", "le": "", "la": "", "vers": "about",
        "environ": "about",
    },
    "it": {
        "oggi": "today", "ieri": "yesterday", "l'altro ieri": "day before yesterday",
        "altro ieri": "day before yesterday", "ieri l'altro": "day before yesterday",
        "stamattina": "this morning", "stamani": "this morning", "di mattina": "morning",
        "mattina": "morning", "mattino": "morning", "pomeriggio": "afternoon",
        "nel pomeriggio": "afternoon", "di pomeriggio": "afternoon", "stasera": "this evening",
        "di sera": "evening",
        "sera": "evening", "stanotte": "last night", "di notte": "night", "notte": "night",
        "in corso": "ongoing", "succede ancora": "ongoing", "continua": "ongoing",
        "ancora adesso": "ongoing", "scorso": "last", "scorsa": "last", "il": "", "la": "",
        "verso": "about",
    },
    "lt": {
        "šiandien": "today", "vakar": "yesterday", "užvakar": "day before yesterday",
        "ryte": "morning", "rytą": "morning", "po pietų": "afternoon", "popiet": "afternoon",
        "vakare": "evening", "vakarą": "evening", "naktį": "night",
        "praėjusią naktį": "last night", "vis dar vyksta": "ongoing",
        "tebevyksta": "ongoing", "tęsiasi": "ongoing", "vyksta": "ongoing",
        "praėjusį": "last", "praėjusią": "last", "praeitą": "last", "prieš": "ago",
        "dieną": "day", "dienas": "days", "dienų": "days", "savaitę": "week",
        "savaites": "weeks", "savaičių": "weeks", "mėnesį": "month", "mėnesius": "months",
        "mėnesių": "months", "metus": "years", "metų": "years", "apie": "about",
        "maždaug": "about",
        "pirmadienį": "monday", "antradienį": "tuesday", "trečiadienį": "wednesday",
        "ketvirtadienį": "thursday", "penktadienį": "friday", "šeštadienį": "saturday",
        "sekmadienį": "sunday",
    },
    "tr": {
        "bugün": "today", "dün": "yesterday", "evvelsi gün": "day before yesterday",
        "önceki gün": "day before yesterday", "dün gece": "last night",
        "bu sabah": "this morning", "bu akşam": "this evening", "sabah": "morning",
        "öğleden sonra": "afternoon", "akşam": "evening", "akşamı": "evening",
        "gece": "night", "geceleyin": "night", "devam ediyor": "ongoing",
        "hâlâ oluyor": "ongoing", "hala oluyor": "ongoing", "sürüyor": "ongoing",
        "geçen": "last", "yaklaşık": "about", "civarı": "about",
    },
    "ar": {
        "اليوم": "today", "أمس": "yesterday", "البارحة": "yesterday", "مبارح": "yesterday",
        "امبارح": "yesterday", "إمبارح": "yesterday", "امس": "yesterday",
        "أول أمس": "day before yesterday", "قبل أمس": "day before yesterday",
        "الليلة الماضية": "last night", "صباحا": "morning", "في الصباح": "morning",
        "الصباح": "morning", "بعد الظهر": "afternoon", "ظهرا": "afternoon",
        "مساء": "evening", "في المساء": "evening", "المساء": "evening", "ليلا": "night",
        "في الليل": "night", "الليل": "night", "مستمر": "ongoing", "مستمرة": "ongoing",
        "لا يزال يحدث": "ongoing", "ما زال يحدث": "ongoing", "الماضي": "last",
        "الماضية": "last", "حوالي": "about", "تقريبا": "about", "يوم": "",
    },
    "ur": {
        "آج": "today", "کل": "yesterday", "گزشتہ کل": "yesterday", "پرسوں": "day before yesterday",
        "کل رات": "last night", "صبح": "morning", "صبح کو": "morning", "دوپہر": "afternoon",
        "دوپہر کو": "afternoon", "سہ پہر": "afternoon", "شام": "evening", "شام کو": "evening",
        "رات": "night", "رات کو": "night", "جاری ہے": "ongoing", "اب بھی ہو رہا ہے": "ongoing",
        "ابھی بھی ہو رہا ہے": "ongoing", "جاری": "ongoing", "پچھلے": "last", "پچھلی": "last",
        "گزشتہ": "last", "کو": "", "تقریباً": "about", "تقریبا": "about", "aaj": "today",
        "kal": "yesterday", "kal raat": "last night",
        "subah": "morning", "shaam": "evening", "raat": "night",
    },
    "bn": {
        "আজ": "today", "আজকে": "today", "গতকাল": "yesterday", "কাল": "yesterday",
        "কালকে": "yesterday", "গত পরশু": "day before yesterday", "পরশু": "day before yesterday",
        "সকাল": "morning", "সকালে": "morning", "দুপুর": "afternoon", "দুপুরে": "afternoon",
        "বিকাল": "afternoon", "বিকেল": "afternoon", "বিকেলে": "afternoon",
        "সন্ধ্যা": "evening", "সন্ধ্যায়": "evening", "সন্ধ্যাবেলা": "evening",
        "রাত": "night", "রাতে": "night", "রাত্রে": "night", "এখনও চলছে": "ongoing",
        "এখনো চলছে": "ongoing", "চলছে": "ongoing", "চলমান": "ongoing", "গত": "last",
    },
    "pa": {
        "ਅੱਜ": "today", "ਕੱਲ੍ਹ": "yesterday", "ਕੱਲ": "yesterday", "ਬੀਤੇ ਕੱਲ੍ਹ": "yesterday",
        "ਪਰਸੋਂ": "day before yesterday", "ਕੱਲ੍ਹ ਰਾਤ": "last night", "ਸਵੇਰੇ": "morning",
        "ਸਵੇਰ": "morning", "ਦੁਪਹਿਰ": "afternoon", "ਦੁਪਹਿਰੇ": "afternoon", "ਸ਼ਾਮ": "evening",
        "ਸ਼ਾਮੀਂ": "evening", "ਰਾਤ": "night", "ਰਾਤੀਂ": "night", "ਨੂੰ": "",
        "ਹਾਲੇ ਵੀ ਹੋ ਰਿਹਾ ਹੈ": "ongoing", "ਅਜੇ ਵੀ ਹੋ ਰਿਹਾ ਹੈ": "ongoing", "ਜਾਰੀ ਹੈ": "ongoing",
        "ਜਾਰੀ": "ongoing", "ਪਿਛਲੇ": "last", "ਪਿਛਲੀ": "last", "ਲਗਭਗ": "about", "اج": "today",
        "کل": "yesterday", "کل شام": "yesterday evening", "کل رات": "last night",
        "سویرے": "morning", "دوپہر": "afternoon", "شام": "evening", "شامیں": "evening",
        "رات": "night", "جاری اے": "ongoing", "ہن وی ہو رہیا اے": "ongoing", "ہن وی": "ongoing",
        "تقریباً": "about", "پہلاں": "ago", "ہفتے": "weeks", "ہفتہ": "week", "دن": "days",
        "مہینے": "months", "سال": "years", "جنوری": "january", "فروری": "february",
        "مارچ": "march", "اپریل": "april", "مئی": "may", "جون": "june", "جولائی": "july",
        "اگست": "august", "ستمبر": "september", "اکتوبر": "october", "نومبر": "november",
        "دسمبر": "december", "وچ": "", "نوں": "",
    },
    "gu": {
        "આજે": "today", "આજ": "today", "ગઈકાલે": "yesterday", "ગઇકાલે": "yesterday",
        "ગઈ કાલે": "yesterday", "કાલે": "yesterday", "પરમદિવસે": "day before yesterday",
        "ગઈ રાત્રે": "last night", "સવારે": "morning", "સવાર": "morning",
        "બપોરે": "afternoon", "બપોર": "afternoon", "સાંજે": "evening", "સાંજ": "evening",
        "રાત્રે": "night", "રાતે": "night", "રાત": "night", "હજુ ચાલુ છે": "ongoing",
        "હજી ચાલુ છે": "ongoing", "ચાલુ છે": "ongoing", "ચાલુ": "ongoing", "ગયા": "last",
        "ગયે": "last", "લગભગ": "about", "સોમવારે": "monday", "મંગળવારે": "tuesday",
        "બુધવારે": "wednesday", "ગુરુવારે": "thursday", "શુક્રવારે": "friday",
        "શનિવારે": "saturday", "રવિવારે": "sunday",
    },
    "so": {
        "maanta": "today", "shalay": "yesterday", "dorraad": "day before yesterday",
        "xalay": "last night", "saaka": "this morning", "subax": "morning",
        "subaxdii": "morning", "galab": "afternoon", "galabtii": "afternoon",
        "fiid": "evening", "fiidkii": "evening", "habeen": "night", "habeenkii": "night",
        "subaxnimo": "morning", "galabnimo": "afternoon", "fiidnimo": "evening",
        "habeennimo": "night",
        "wali socda": "ongoing", "weli socda": "ongoing", "socda": "ongoing",
        "la soo dhaafay": "last", "ee la soo dhaafay": "last", "hore": "last",
        "qiyaastii": "about", "ku dhawaad": "about", "isniintii": "monday",
        "talaadadii": "tuesday", "arbacadii": "wednesday", "khamiistii": "thursday",
        "jimcihii": "friday", "sabtidii": "saturday", "axaddii": "sunday",
    },
    "ru": {
        "сегодня": "today", "в": "", "во": "", "вчера": "yesterday",
        "позавчера": "day before yesterday", "вчера вечером": "yesterday evening",
        "вчера ночью": "last night", "сегодня утром": "this morning", "утром": "morning",
        "днём": "afternoon", "днем": "afternoon", "вечером": "evening", "ночью": "night",
        "продолжается": "ongoing", "всё ещё продолжается": "ongoing", "до сих пор": "ongoing",
        "всё ещё": "ongoing", "происходит сейчас": "ongoing", "примерно": "about",
        "около": "about", "недели": "weeks", "неделю": "week", "недель": "weeks", "назад": "ago",
        "январе": "january", "феврале": "february", "марте": "march", "апреле": "april",
        "мае": "may", "июне": "june", "июле": "july", "августе": "august",
        "сентябре": "september", "октябре": "october", "ноябре": "november",
        "декабре": "december",
    },
    "uk": {
        "сьогодні": "today", "вчора": "yesterday", "учора": "yesterday",
        "позавчора": "day before yesterday", "вчора ввечері": "yesterday evening",
        "учора ввечері": "yesterday evening", "вчора вночі": "last night",
        "сьогодні вранці": "this morning", "вранці": "morning", "уранці": "morning",
        "вдень": "afternoon", "удень": "afternoon", "ввечері": "evening", "увечері": "evening",
        "вночі": "night", "уночі": "night", "триває": "ongoing", "досі триває": "ongoing",
        "досі": "ongoing", "відбувається зараз": "ongoing", "приблизно": "about",
        "близько": "about", "тижні": "weeks", "тиждень": "week", "тижнів": "weeks",
        "дні": "days", "днів": "days", "тому": "ago", "в": "", "у": "", "січні": "january",
        "лютому": "february", "березні": "march", "квітні": "april", "травні": "may",
        "червні": "june", "липні": "july", "серпні": "august", "вересні": "september",
        "жовтні": "october", "листопаді": "november", "грудні": "december",
    },
    "bg": {
        "днес": "today", "вчера": "yesterday", "онзи ден": "day before yesterday",
        "завчера": "day before yesterday", "снощи": "yesterday evening",
        "вчера вечерта": "yesterday evening", "вчера вечер": "yesterday evening",
        "тази сутрин": "this morning", "сутринта": "morning", "следобед": "afternoon",
        "вечерта": "evening", "през нощта": "night", "нощта": "night", "продължава": "ongoing",
        "още продължава": "ongoing", "още се случва": "ongoing", "все още": "ongoing",
        "около": "about", "приблизително": "about", "преди": "ago", "седмици": "weeks",
        "седмица": "week", "дни": "days", "дена": "days", "месеца": "months", "през": "",
        "в": "", "на": "",
    },
    "sk": {
        "dnes": "today", "včera": "yesterday", "predvčerom": "day before yesterday",
        "včera večer": "yesterday evening", "včera v noci": "last night",
        "dnes ráno": "this morning", "ráno": "morning", "popoludní": "afternoon",
        "poobede": "afternoon", "večer": "evening", "v noci": "night", "stále trvá": "ongoing",
        "trvá": "ongoing", "stále sa to deje": "ongoing", "doteraz": "ongoing", "asi": "about",
        "približne": "about", "okolo": "about", "pred": "ago", "týždňami": "weeks",
        "týždňom": "week", "dňami": "days", "dňom": "day", "mesiacmi": "months",
        "rokmi": "years", "v": "", "vo": "", "januári": "january", "februári": "february",
        "marci": "march", "apríli": "april", "máji": "may", "júni": "june", "júli": "july",
        "auguste": "august", "septembri": "september", "októbri": "october",
        "novembri": "november", "decembri": "december",
    },
    "hu": {
        "ma": "today", "tegnap": "yesterday", "tegnapelőtt": "day before yesterday",
        "tegnap este": "yesterday evening", "tegnap éjjel": "last night",
        "ma reggel": "this morning", "reggel": "morning", "délelőtt": "morning",
        "délután": "afternoon", "este": "evening", "éjjel": "night", "éjszaka": "night",
        "még tart": "ongoing", "most is tart": "ongoing", "még mindig tart": "ongoing",
        "folyamatban": "ongoing", "kb": "about", "körülbelül": "about", "nagyjából": "about",
        "hete": "weeks ago", "napja": "days ago", "hónapja": "months ago", "éve": "years ago",
        "hétfőn": "monday", "kedden": "tuesday", "szerdán": "wednesday",
        "csütörtökön": "thursday", "pénteken": "friday", "szombaton": "saturday",
        "vasárnap": "sunday", "márciusban": "march", "januárban": "january",
        "februárban": "february", "áprilisban": "april", "májusban": "may", "júniusban": "june",
        "júliusban": "july", "augusztusban": "august", "szeptemberben": "september",
        "októberben": "october", "novemberben": "november", "decemberben": "december",
        "múlt": "last",
    },
    "sq": {
        "sot": "today", "javësh": "weeks", "ditësh": "days", "muajsh": "months", "dje": "yesterday",
        "pardje": "day before yesterday",
        "dje në mbrëmje": "yesterday evening", "mbrëmë": "yesterday evening",
        "natën e kaluar": "last night", "sot në mëngjes": "this morning",
        "në mëngjes": "morning", "mëngjes": "morning", "pasdite": "afternoon",
        "në mbrëmje": "evening", "mbrëmje": "evening", "natën": "night", "vazhdon": "ongoing",
        "ende po ndodh": "ongoing", "ende": "ongoing", "rreth": "about", "afërsisht": "about",
        "më parë": "ago", "para": "ago", "javë": "weeks", "ditë": "days", "muaj": "months",
        "vjet": "years", "vite": "years", "në": "", "të": "", "e kaluar": "last",
        "të kaluar": "last", "marsin": "march", "muajin mars": "march",
    },
    "vi": {
        "hôm nay": "today", "hôm qua": "yesterday", "hôm kia": "day before yesterday",
        "tối qua": "yesterday evening", "tối hôm qua": "yesterday evening",
        "đêm qua": "last night", "sáng nay": "this morning", "buổi sáng": "morning",
        "sáng": "morning", "buổi chiều": "afternoon", "chiều": "afternoon",
        "buổi tối": "evening", "tối": "evening", "ban đêm": "night", "đêm": "night",
        "vẫn đang tiếp diễn": "ongoing", "vẫn đang xảy ra": "ongoing", "vẫn còn": "ongoing",
        "đang tiếp diễn": "ongoing", "khoảng": "about", "chừng": "about", "trước": "ago",
        "tuần": "weeks", "ngày": "days", "tháng": "months", "năm": "years", "tháng 3": "march",
        "tháng ba": "march", "vào": "", "hồi": "",
    },
    "zh": {
        "今天": "today", "今日": "today", "昨天": "yesterday", "昨日": "yesterday",
        "尋日": "yesterday", "琴日": "yesterday", "前天": "day before yesterday",
        "昨天晚上": "yesterday evening", "昨晚": "yesterday evening", "尋晚": "yesterday evening",
        "今天早上": "this morning", "早上": "morning", "上午": "morning", "下午": "afternoon",
        "晚上": "evening", "夜里": "night", "夜裡": "night", "半夜": "night",
        "还在继续": "ongoing", "還在繼續": "ongoing", "仍在继续": "ongoing",
        "仍在繼續": "ongoing", "一直": "ongoing", "还在": "ongoing", "還在": "ongoing",
        "大约": "about", "大約": "about", "大概": "about", "左右": "", "周": " weeks ",
        "週": " weeks ", "星期": " weeks ", "礼拜": " weeks ", "禮拜": " weeks ", "个": "",
        "個": "", "天": " days ", "日前": " days ago", "个月": " months ", "個月": " months ",
        "年前": " years ago", "前": " ago", "之前": " ago", "以前": " ago", "周一": "monday",
        "周二": "tuesday", "周三": "wednesday", "周四": "thursday", "周五": "friday",
        "周六": "saturday", "周日": "sunday", "週一": "monday", "週二": "tuesday",
        "週三": "wednesday", "週四": "thursday", "週五": "friday", "週六": "saturday",
        "週日": "sunday", "1月": "january", "1月份": "january", "2月": "february",
        "2月份": "february", "3月": "march", "3月份": "march", "4月": "april", "4月份": "april",
        "5月": "may", "5月份": "may", "6月": "june", "6月份": "june", "7月": "july",
        "7月份": "july", "8月": "august", "8月份": "august", "9月": "september",
        "9月份": "september", "10月": "october", "10月份": "october", "11月": "november",
        "11月份": "november", "12月": "december", "12月份": "december", "上周一": "last monday",
        "上周二": "last tuesday", "上周三": "last wednesday", "上周四": "last thursday",
        "上周五": "last friday", "上周六": "last saturday", "上周日": "last sunday",
        "上周天": "last sunday", "上週一": "last monday", "上週二": "last tuesday",
        "上週三": "last wednesday", "上週四": "last thursday", "上週五": "last friday",
        "上週六": "last saturday", "上週日": "last sunday", "上週天": "last sunday",
        "上星期一": "last monday", "上星期二": "last tuesday", "上星期三": "last wednesday",
        "上星期四": "last thursday", "上星期五": "last friday", "上星期六": "last saturday",
        "上星期日": "last sunday", "上星期天": "last sunday", "上礼拜一": "last monday",
        "上礼拜二": "last tuesday", "上礼拜三": "last wednesday", "上礼拜四": "last thursday",
        "上礼拜五": "last friday", "上礼拜六": "last saturday", "上礼拜日": "last sunday",
        "上礼拜天": "last sunday", "上禮拜一": "last monday", "上禮拜二": "last tuesday",
        "上禮拜三": "last wednesday", "上禮拜四": "last thursday", "上禮拜五": "last friday",
        "上禮拜六": "last saturday", "上禮拜日": "last sunday", "上禮拜天": "last sunday",
        "日": " ", "号": " ", "號": " ", "年": " ", "上个星期一": "last monday",
        "上个星期二": "last tuesday", "上个星期三": "last wednesday",
        "上个星期四": "last thursday", "上个星期五": "last friday", "上个星期六": "last saturday",
        "上个星期日": "last sunday", "上个星期天": "last sunday", "上個星期一": "last monday",
        "上個星期二": "last tuesday", "上個星期三": "last wednesday",
        "上個星期四": "last thursday", "上個星期五": "last friday", "上個星期六": "last saturday",
        "上個星期日": "last sunday", "上個星期天": "last sunday", "上个礼拜一": "last monday",
        "上个礼拜二": "last tuesday", "上个礼拜三": "last wednesday",
        "上个礼拜四": "last thursday", "上个礼拜五": "last friday", "上个礼拜六": "last saturday",
        "上个礼拜日": "last sunday", "上个礼拜天": "last sunday", "上個禮拜一": "last monday",
        "上個禮拜二": "last tuesday", "上個禮拜三": "last wednesday",
        "上個禮拜四": "last thursday", "上個禮拜五": "last friday", "上個禮拜六": "last saturday",
        "上個禮拜日": "last sunday", "上個禮拜天": "last sunday",
    },
    "fa": {
        "امروز": "today", "دیروز": "yesterday", "پریروز": "day before yesterday",
        "دیشب": "last night", "دیروز عصر": "yesterday evening", "دیروز شب": "yesterday evening",
        "امروز صبح": "this morning", "صبح": "morning", "بعدازظهر": "afternoon",
        "بعد از ظهر": "afternoon", "عصر": "evening", "شب": "night", "ادامه دارد": "ongoing",
        "هنوز ادامه دارد": "ongoing", "هنوز": "ongoing", "حدود": "about", "تقریبا": "about",
        "پیش": "ago", "قبل": "ago", "هفته": "weeks", "روز": "days", "ماه": "months",
        "سال": "years", "در": "",
    },
    "ps": {
        "نن": "today", "پرون": "yesterday", "لېرې پرون": "day before yesterday",
        "پرون ماښام": "yesterday evening", "تېره شپه": "last night", "نن سهار": "this morning",
        "سهار": "morning", "ماسپښین": "afternoon", "ماښام": "evening", "شپه": "night",
        "روان دی": "ongoing", "لا هم روان دی": "ongoing", "لا هم": "ongoing", "شاوخوا": "about",
        "نږدې": "about", "وړاندې": "ago", "مخکې": "ago", "دمخه": "ago", "اونۍ": "weeks",
        "ورځې": "days", "ورځ": "day", "میاشتې": "months", "میاشت": "month", "کاله": "years",
        "کال": "year", "مارچ": "march", "په": "",
    },
    "ckb": {
        "ئەمڕۆ": "today", "دوێنێ": "yesterday", "پێری": "day before yesterday",
        "دوێنێ ئێوارە": "yesterday evening", "دوێنێ شەو": "last night",
        "ئەمڕۆ بەیانی": "this morning", "بەیانی": "morning", "دوانیوەڕۆ": "afternoon",
        "ئێوارە": "evening", "شەو": "night", "بەردەوامە": "ongoing",
        "هێشتا بەردەوامە": "ongoing", "هێشتا": "ongoing", "نزیکەی": "about", "لەمەوبەر": "ago",
        "پێش": "ago", "بەر لە": "ago", "هەفتە": "weeks", "ڕۆژ": "days", "مانگ": "months",
        "ساڵ": "years", "مارس": "march", "ئازار": "march", "لە": "",
    },
    "ta": {
        "இன்று": "today", "இன்னைக்கு": "today", "நேற்று": "yesterday", "நேத்து": "yesterday",
        "நேற்று முன்தினம்": "day before yesterday", "நேற்று மாலை": "yesterday evening",
        "நேத்து சாயங்காலம்": "yesterday evening", "நேற்று இரவு": "last night",
        "இன்று காலை": "this morning", "காலை": "morning", "காலையில்": "morning",
        "மதியம்": "afternoon", "மாலை": "evening", "மாலையில்": "evening", "சாயங்காலம்": "evening",
        "இரவு": "night", "இரவில்": "night", "தொடர்கிறது": "ongoing",
        "இன்னும் தொடர்கிறது": "ongoing", "இன்னும் நடக்கிறது": "ongoing", "சுமார்": "about",
        "கிட்டத்தட்ட": "about", "முன்பு": "ago", "முன்னாடி": "ago", "முன்": "ago",
        "வாரங்களுக்கு": "weeks", "வாரத்துக்கு": "weeks", "வாரம்": "weeks", "நாட்களுக்கு": "days",
        "நாள்": "days", "மாதங்களுக்கு": "months", "மாதம்": "months", "ஆண்டுகளுக்கு": "years",
        "மார்ச்": "march", "மார்ச்சில்": "march",
    },
    "ti": {
        "ሎሚ": "today", "ትማሊ": "yesterday", "ቅድሚ ትማሊ": "day before yesterday",
        "ትማሊ ምሸት": "yesterday evening", "ትማሊ ለይቲ": "last night", "ሎሚ ንግሆ": "this morning",
        "ንግሆ": "morning", "ድሕሪ ቐትሪ": "afternoon", "ምሸት": "evening", "ለይቲ": "night",
        "ይቕጽል ኣሎ": "ongoing", "ገና ይቕጽል ኣሎ": "ongoing", "ገና": "ongoing", "ኣስታት": "about",
        "ዳርጋ": "about", "ይገብር": "ago", "ቅድሚ": "ago", "ሰሙን": "weeks", "ሰሙናት": "weeks",
        "መዓልቲ": "days", "መዓልታት": "days", "ኣዋርሕ": "months", "ወርሒ": "month", "ዓመት": "years",
        "መጋቢት": "march", "ጥሪ": "january", "ለካቲት": "february", "ሚያዝያ": "april", "ግንቦት": "may",
        "ሰነ": "june", "ሓምለ": "july", "ነሓሰ": "august", "መስከረም": "september", "ጥቅምቲ": "october",
        "ሕዳር": "november", "ታሕሳስ": "december", "ኣብ": "",
    },
}  # fmt: skip

_ENGLISH_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ENGLISH_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_UNITS = "|".join((*_ENGLISH_DAYS, "week", "month", "year", "night"))
_LAST_AFTER = re.compile(rf"\b({_UNITS}) last\b")  # "tuesday last" → "last tuesday"
_AGO_BEFORE = re.compile(r"\bago (?:about )?(\d+ \w+)")  # "ago 3 weeks" → "3 weeks ago"
# "hai tuần trước" is "2" + "tuần trước" (last week): a number before "last week" means "ago".
_NUMBER_LAST = re.compile(r"\b(\d+) last (day|week|month|year)s?\b")
_UNSPACED = frozenset({"zh"})  # languages written without spaces between words
_PLAIN = str.maketrans({"ł": "l", "ı": "i", "ø": "o", "đ": "d"})  # no decomposition
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")  # vowel marks, often left out


def normalise(text: str) -> str:
    """The form both tables and typed text are compared in: NFKC, case-folded, no apostrophes,
    Arabic-Indic and Persian digits ("۱۲", "١٢") as ASCII ones."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES).translate(_DIGITS)


def _variants(phrase: str) -> set[str]:
    """The phrase, and without accents or vowel marks where people often leave them out.

    Only Latin and Arabic letters lose their marks: in Indic scripts the marks
    are vowels, and dropping them changes the word.
    """
    shown = normalise(phrase)
    if _indic(shown):
        return {shown}
    bare = "".join(
        ch
        for ch in unicodedata.normalize("NFD", shown.translate(_PLAIN))
        if unicodedata.category(ch) != "Mn"
    )
    return {shown, unicodedata.normalize("NFC", bare)}


def _indic(text: str) -> bool:
    return any("\u0900" <= ch <= "\u0dff" for ch in text)


def _calendar_names(language: str) -> dict[str, str]:
    """Weekday and month names of `language` (Babel/CLDR, wide forms) → English."""
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, str] = {}
    for context in ("format", "stand-alone"):
        for index, name in locale.days[context]["wide"].items():
            names[name] = _ENGLISH_DAYS[index]
        for number, name in locale.months[context]["wide"].items():
            names[name] = _ENGLISH_MONTHS[number - 1]
    return names


@lru_cache(maxsize=32)
def _table(language: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    if language == "en":
        return None
    words = {
        **_calendar_names(language),
        **(LEVANTINE_MONTHS if language == "ar" else {}),
        **DATE_WORDS.get(language, {}),
        **PERIOD_WORDS.get(language, {}),
    }
    words = {**inflected(language, words), **words, **NUMBER_WORDS.get(language, {})}
    if language == "cy":  # "nos Fawrth": Tuesday night; "mis Mawrth" stays March
        days = {n[5:]: en for n, en in words.items() if n.casefold().startswith("dydd ")}
        words |= {f"nos {name}": f"night {english}" for name, english in days.items()}
        words = {m: en for p, en in words.items() for m in welsh_mutations(normalise(p))} | words
    forms: dict[str, str] = {}
    for phrase, english in words.items():
        for form in _variants(phrase):
            forms.setdefault(form, english)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    if language in _UNSPACED:  # Chinese has no spaces between words: match anywhere
        return re.compile(f"(?:{alternatives})"), forms
    # Whole words only; marks count as part of a word (Indic vowel signs are not \w).
    pattern = re.compile(
        rf"(?<![\w\u0300-\u036f\u0900-\u0dff])(?:{alternatives})(?![\w\u0900-\u0dff])"
    )
    return pattern, forms


def to_english(work: str, language: str) -> str:
    """`work` (already `normalise`d) with the language's date words put in English."""
    table = _table(language)
    if table is None:
        return work
    pattern, forms = table
    work = _ARABIC_MARKS.sub("", work)
    work = pattern.sub(lambda found: f" {forms[found.group(0)]} ", work)
    work = _LAST_AFTER.sub(r"last \1", " ".join(work.split()))
    work = _NUMBER_LAST.sub(r"\1 \2s ago", work)
    return _AGO_BEFORE.sub(r"\1 ago", work)
