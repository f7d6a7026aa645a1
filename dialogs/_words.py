"""Everyday words for yes, no, "I don't know" and the commands, per shipped language.

Written as people type them; stored folded (see `dialogs._text.fold`: lower
case, no accents or marks, no apostrophes) so "Dün", "dun" and "DÜN" match
alike. English always applies; the reporter's language is added to it. Only
phrases that mean nothing else belong here: a real answer must never be
mistaken for "don't know". Each language's button labels ("Tak", "Nie wiem")
are in its lists; tests/locales checks that against the catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from dialogs._text import fold
from locales import language_of

Command = Literal["back", "skip", "restart", "cancel", "help", "language"]


def _folded(table: Mapping[str, tuple[str, ...]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({lang: frozenset(map(fold, words)) for lang, words in table.items()})


YES = _folded(
    {
        "en": (
            *("yes", "y", "yeah", "yea", "yep", "yup", "ya", "ok", "okay", "true", "1"),
            *("sure", "correct", "aye", "right", "yes please", "that's right"),
        ),
        "cy": (
            *("ie", "oes", "do", "ydy", "ydw", "ydi", "ydyn", "ia", "yndw", "yndi", "iawn"),
            *("gallai", "cewch", "cei", "cawn", "gallwch", "oedd", "roedd", "oeddwn"),
        ),
        "pl": ("tak", "jasne", "oczywiście", "dobrze", "zgadza się", "tak jest"),
        "ro": ("da", "sigur", "desigur", "bine", "așa e", "corect"),
        "pt": ("sim", "claro", "certo", "isso", "é isso", "pode ser"),
        "es": ("sí", "vale", "claro", "de acuerdo", "correcto", "así es"),
        "fr": ("oui", "ouais", "si", "d'accord", "bien sûr", "exact", "c'est ça"),
        "it": ("sì", "certo", "va bene", "esatto", "giusto"),
        "lt": ("taip", "jo", "gerai", "žinoma", "teisingai"),
        "tr": ("evet", "tamam", "olur", "doğru", "aynen"),
        "ar": ("نعم", "أجل", "ايوه", "أيوه", "اي", "إي", "بلى", "طيب", "صحيح", "أكيد"),
        "ur": ("ہاں", "جی", "جی ہاں", "ہاں جی", "ٹھیک ہے", "بالکل", "haan", "han", "ji", "jee"),
        "bn": ("হ্যাঁ", "হাঁ", "জি", "জী", "ঠিক আছে", "অবশ্যই", "হুম"),
        "pa": (
            "ਹਾਂ",
            "ਹਾਂਜੀ",
            "ਹਾਂ ਜੀ",
            "ਜੀ",
            "ਠੀਕ ਹੈ",
            "ਬਿਲਕੁਲ",
            "haan",
            "haanji",
            "ہاں",
            "ہاں جی",
            "جی",
            "ٹھیک اے",
            "بالکل",
            "آہو",
            "ہا",
        ),
        "gu": ("હા", "હાં", "હાજી", "હા જી", "જી", "બરાબર", "ચોક્કસ"),
        "so": ("haa", "haye", "waa yahay", "hagaag", "sax"),
        "ru": (
            "да",
            "ага",
            "угу",
            "конечно",
            "верно",
            "ок",
            "окей",
            "да да",
            "ну да",
            "так точно",
            "правильно",
        ),
        "uk": (
            "так",
            "ага",
            "угу",
            "звісно",
            "звичайно",
            "авжеж",
            "правильно",
            "ок",
            "окей",
            "так так",
            "ну так",
        ),
        "bg": ("да", "аха", "ъхъ", "разбира се", "вярно", "точно", "ок", "окей", "да да", "добре"),
        "sk": (
            "áno",
            "hej",
            "jasné",
            "jasne",
            "ano",
            "no áno",
            "dobre",
            "ok",
            "presne",
            "správne",
            "áno áno",
        ),
        "hu": (
            "igen",
            "ja",
            "aha",
            "persze",
            "jó",
            "rendben",
            "oké",
            "ok",
            "pontosan",
            "így van",
            "naná",
        ),
        "sq": (
            "po",
            "po po",
            "sigurisht",
            "patjetër",
            "në rregull",
            "mirë",
            "ok",
            "okej",
            "e saktë",
            "ashtu është",
        ),
        "vi": (
            "có",
            "co",
            "vâng",
            "dạ",
            "ừ",
            "ừm",
            "đúng",
            "đúng rồi",
            "ok",
            "được",
            "có ạ",
            "rồi",
        ),
        "zh": (
            "是",
            "是的",
            "对",
            "對",
            "对的",
            "對的",
            "好",
            "好的",
            "嗯",
            "有",
            "没错",
            "沒錯",
            "是啊",
            "係",
            "係呀",
            "啱",
            "ok",
        ),
        "fa": (
            "بله",
            "بلی",
            "آره",
            "آری",
            "اره",
            "باشه",
            "درسته",
            "درست است",
            "حتما",
            "اوکی",
            "ها",
            "هان",
        ),
        "ps": ("هو", "هوکې", "هو کې", "ښه", "سمه ده", "بالکل", "ولې نه", "ها"),
        "ckb": ("بەڵێ", "بەلێ", "ئا", "ئەرێ", "باشە", "دروستە", "هەڵبەت", "ئۆکێ"),
        "ta": ("ஆம்", "ஆமா", "ஆமாம்", "சரி", "ஆம் சரி", "ok", "aam", "aama", "sari"),
        "ti": ("እወ", "እወ እወ", "ሕራይ", "ጽቡቕ", "ልክዕ", "ok"),
    }
)

NO = _folded(
    {
        "en": (
            *("no", "n", "nope", "nah", "false", "2", "no thanks", "not really"),
            *("i don't think so", "don't think so", "no way", "not at all"),
        ),
        "cy": (
            *("na", "naddo", "nac oes", "nac ydy", "nac ydw", "nac ydi", "nage", "na chewch"),
            *("nac oedd", "nag oedd", "doedd e ddim", "doedd hi ddim", "na allai"),
        ),
        "pl": ("nie", "nie dziękuję", "raczej nie"),
        "ro": ("nu", "nu mulțumesc", "nu cred", "deloc"),
        "pt": ("não", "não obrigado", "não obrigada"),
        "es": ("no", "no gracias"),
        "fr": (
            "non",
            "non merci",
            "je ne pense pas",
            "je pense pas",
            "je crois pas",
            "pas du tout",
        ),
        "it": ("no", "no grazie", "non credo", "credo di no", "direi di no", "per niente"),
        "lt": ("ne", "ne ačiū", "nemanau", "tikrai ne"),
        "tr": ("hayır", "yok", "istemiyorum", "sanmıyorum", "hiç"),
        "ar": ("لا", "كلا", "لأ", "لا شكرا"),
        "ur": ("نہیں", "جی نہیں", "nahi", "nahin"),
        "bn": ("না", "না ধন্যবাদ", "জি না"),
        "pa": ("ਨਹੀਂ", "ਨਹੀਂ ਜੀ", "ਨਾ", "nahi", "nahin", "نئیں", "نہیں", "ناں", "نئیں جی", "نا"),
        "gu": ("ના", "નહીં", "ના જી"),
        "so": ("maya", "mayo", "ma aha"),
        "ru": ("нет", "неа", "нету", "нет спасибо", "не думаю", "конечно нет", "вовсе нет"),
        "uk": ("ні", "нє", "ні дякую", "не думаю", "звісно ні", "зовсім ні"),
        "bg": ("не", "не благодаря", "не мисля", "разбира се че не", "изобщо не"),
        "sk": ("nie", "nie ďakujem", "nemyslím", "vôbec nie", "ani nie"),
        "hu": ("nem", "nem köszönöm", "nem hiszem", "dehogy", "egyáltalán nem", "nemnem"),
        "sq": ("jo", "jo faleminderit", "nuk besoj", "aspak", "jo jo"),
        "vi": ("không", "ko", "k", "không ạ", "chưa", "không có", "hông", "không đâu"),
        "zh": (
            "否",
            "不",
            "不是",
            "没有",
            "沒有",
            "没",
            "沒",
            "不用",
            "不要",
            "唔係",
            "冇",
            "唔",
            "不会",
            "不會",
            "唔會",
            "不是的",
            "没有的",
        ),
        "fa": ("نه", "نخیر", "خیر", "نه ممنون", "فکر نکنم", "اصلا", "نی"),
        "ps": ("نه", "نه مننه", "هېڅ", "نه نه", "نه دی", "نه وو"),
        "ckb": ("نەخێر", "نا", "نەء", "نە", "نا سوپاس", "وا نازانم"),
        "ta": ("இல்லை", "இல்ல", "வேண்டாம்", "இல்லை நன்றி", "illai", "illa"),
        "ti": ("ኣይፋል", "ኣይፋልን", "የለን", "ኣይኮነን", "ኖ"),
    }
)

UNKNOWN = _folded(
    {
        "en": (
            *("don't know", "do not know", "i don't know", "i do not know", "not sure"),
            *("i'm not sure", "i am not sure", "unknown", "no idea", "i have no idea"),
            *("idk", "dunno", "i dunno", "no clue", "can't remember", "i can't remember"),
            *("don't remember", "i don't remember", "not known"),
        ),
        "cy": (
            *("dim syniad", "ddim yn gwybod", "dw i ddim yn gwybod", "dwi ddim yn gwybod"),
            *("dwn i ddim", "wn i ddim", "sai'n gwybod", "ddim yn siŵr", "dw i ddim yn siŵr"),
            "anhysbys",
        ),
        "pl": (
            *("nie wiem", "nie mam pojęcia", "nieznany", "nie mam pewności", "nie pamiętam"),
            *("nie jestem pewien", "nie jestem pewna", "trudno powiedzieć", "nie znam"),
        ),
        "ro": (
            *("nu știu", "habar n-am", "necunoscut", "nu știu sigur", "nu sunt sigur"),
            *("nu sunt sigură", "nu-mi amintesc", "nu îmi amintesc", "nu mai știu"),
        ),
        "pt": (
            *("não sei", "não faço ideia", "desconhecido", "não tenho a certeza"),
            *("não tenho certeza", "não me lembro", "sei lá"),
        ),
        "es": (
            *("no sé", "no lo sé", "ni idea", "desconocido", "no lo tengo claro"),
            *("no estoy seguro", "no estoy segura", "no me acuerdo", "no recuerdo"),
        ),
        "fr": (
            *("je ne sais pas", "je sais pas", "ne sais pas", "sais pas", "aucune idée"),
            *("inconnu", "pas sûr", "pas sûre", "je ne sais pas trop", "je ne suis pas sûr"),
            *("je ne suis pas sûre", "je ne me souviens pas", "chais pas"),
        ),
        "it": (
            *("non lo so", "non so", "sconosciuto", "boh", "non lo so con certezza"),
            *("non sono sicuro", "non sono sicura", "non ricordo", "non mi ricordo"),
        ),
        "lt": (
            *("nežinau", "nežinoma", "nežinau tiksliai", "nesu tikras", "nesu tikra"),
            *("neatsimenu", "nepamenu", "neaišku"),
        ),
        "tr": ("bilmiyorum", "bilmem", "emin değilim", "fikrim yok", "hatırlamıyorum"),
        "ar": (
            *("لا أعرف", "لا اعرف", "لا أعلم", "لا ادري", "لا أدري", "مش عارف", "ما بعرف"),
            *("ما اعرف", "غير متأكد", "غير متأكدة", "لست متأكدا", "لا أتذكر"),
        ),
        "ur": (
            *("پتہ نہیں", "پتا نہیں", "معلوم نہیں", "مجھے نہیں معلوم", "مجھے معلوم نہیں"),
            *("مجھے نہیں پتا", "مجھے پتہ نہیں", "یقین نہیں", "یاد نہیں"),
            *("pata nahi", "pata nahin", "maloom nahi"),
        ),
        "bn": (
            *("জানি না", "জানিনা", "আমি জানি না", "নিশ্চিত নই", "নিশ্চিত না", "মনে নেই"),
            "অজানা",
        ),
        "pa": (
            "ਪਤਾ ਨਹੀਂ",
            "ਮੈਨੂੰ ਨਹੀਂ ਪਤਾ",
            "ਮੈਨੂੰ ਪਤਾ ਨਹੀਂ",
            "ਪੱਕਾ ਨਹੀਂ ਪਤਾ",
            "ਪੱਕਾ ਨਹੀਂ",
            "ਯਕੀਨ ਨਹੀਂ",
            "ਯਾਦ ਨਹੀਂ",
            "pata nahi",
            "پتہ نئیں",
            "پتا نئیں",
            "مینوں نئیں پتہ",
            "مینوں پتہ نئیں",
            "پکا نئیں پتہ",
            "یاد نئیں",
            "pata nai",
        ),
        "gu": ("ખબર નથી", "મને ખબર નથી", "મને નથી ખબર", "ખાતરી નથી", "યાદ નથી", "અજ્ઞાત"),
        "so": ("ma aqaan", "aqoon maayo", "ma garanayo", "garan maayo", "ma hubo", "ma xasuusto"),
        "ru": (
            "не знаю",
            "я не знаю",
            "хз",
            "без понятия",
            "понятия не имею",
            "не уверен",
            "не уверена",
            "не помню",
            "неизвестно",
            "не уверен(а)",
            "не знаю точно",
        ),
        "uk": (
            "не знаю",
            "я не знаю",
            "гадки не маю",
            "без поняття",
            "не впевнений",
            "не впевнена",
            "не пам'ятаю",
            "невідомо",
            "не впевнений(а)",
            "хз",
        ),
        "bg": (
            "не знам",
            "аз не знам",
            "нямам представа",
            "нямам идея",
            "не съм сигурен",
            "не съм сигурна",
            "не помня",
            "неизвестно",
            "не съм сигурен/а",
        ),
        "sk": (
            "neviem",
            "ja neviem",
            "netuším",
            "nie som si istý",
            "nie som si istá",
            "nepamätám si",
            "neznámy",
            "nie som si istý/á",
            "nemám potuchy",
        ),
        "hu": (
            "nem tudom",
            "nem tudom biztosan",
            "fogalmam sincs",
            "nem vagyok biztos",
            "nem emlékszem",
            "ismeretlen",
            "passz",
            "nemtom",
        ),
        "sq": (
            "nuk e di",
            "s'e di",
            "se di",
            "nuk jam i sigurt",
            "nuk jam e sigurt",
            "nuk kam ide",
            "nuk e mbaj mend",
            "e panjohur",
            "s'kam ide",
        ),
        "vi": (
            "không biết",
            "ko biết",
            "k biết",
            "tôi không biết",
            "không rõ",
            "không chắc",
            "chẳng biết",
            "không nhớ",
            "tôi không nhớ",
            "chịu",
        ),
        "zh": (
            "不知道",
            "我不知道",
            "不清楚",
            "不确定",
            "不確定",
            "不晓得",
            "不曉得",
            "不记得",
            "不記得",
            "唔知",
            "唔清楚",
            "唔記得",
            "不太清楚",
        ),
        "fa": (
            "نمی‌دانم",
            "نمیدانم",
            "نمی دانم",
            "نمی‌دونم",
            "نمیدونم",
            "مطمئن نیستم",
            "خبر ندارم",
            "یادم نیست",
            "معلوم نیست",
            "نامعلوم",
            "نمی‌فهمم",
        ),
        "ps": (
            "نه پوهېږم",
            "نه پوهیږم",
            "زه نه پوهېږم",
            "زه نه پوهیږم",
            "نه پوهیږم",
            "ډاډه نه یم",
            "خبر نه یم",
            "نه رایادېږي",
            "نه راپه یاد دي",
            "معلوم نه دي",
        ),
        "ckb": (
            "نازانم",
            "من نازانم",
            "دڵنیا نیم",
            "ئاگام لێ نییە",
            "لە بیرم نییە",
            "نازانم چییە",
            "نەزانراو",
        ),
        "ta": (
            "தெரியாது",
            "எனக்குத் தெரியாது",
            "தெரியவில்லை",
            "தெரியல",
            "உறுதியாகத் தெரியவில்லை",
            "நினைவில்லை",
            "ஞாபகம் இல்லை",
            "theriyathu",
            "theriyadhu",
            "theriyala",
        ),
        "ti": ("ኣይፈልጥን", "ኣነ ኣይፈልጥን", "ርግጸኛ ኣይኮንኩን", "ኣይዝክሮን", "ኣይፈለጥኩን"),
    }
)

# Other words for the commands, besides English and the catalog's own word.
_COMMANDS: Mapping[str, Mapping[Command, tuple[str, ...]]] = {
    "cy": {"back": ("yn ôl",), "skip": ("neidio",), "restart": ("dechrau eto",)},
    "pl": {"back": ("cofnij",), "restart": ("zacznij od nowa",)},
    "ro": {"skip": ("sări peste",), "restart": ("de la capăt",), "language": ("limbă",)},
    "pt": {"back": ("atrás",), "skip": ("pular",), "language": ("língua",)},
    "es": {"back": ("volver",), "skip": ("omitir",), "restart": ("empezar de nuevo",)},
    "fr": {"back": ("précédent",), "restart": ("reprendre",)},
    "it": {"restart": ("ricominciare",), "cancel": ("cancella",)},
    "lt": {"restart": ("pradėti iš naujo",)},
    "tr": {"restart": ("baştan",), "cancel": ("vazgeç",)},
    "ar": {
        "back": ("عودة",),
        "skip": ("تخطى",),
        "restart": ("ابدأ من جديد",),
        "language": ("لغة",),
    },
    "ur": {"back": ("wapas",), "skip": ("چھوڑ دیں",), "help": ("madad",), "language": ("zaban",)},
    "bn": {"back": ("ফিরে যান",), "restart": ("আবার শুরু করুন",)},
    "pa": {"restart": ("ਫਿਰ ਸ਼ੁਰੂ",)},
    "gu": {"back": ("પાછા",), "restart": ("ફરીથી શરૂ",)},
    "so": {"back": ("dib u noqo",), "help": ("caawimo",), "language": ("luuqad",)},
}
COMMANDS: Mapping[str, Mapping[Command, frozenset[str]]] = MappingProxyType(
    {
        lang: MappingProxyType({c: frozenset(map(fold, ws)) for c, ws in words.items()})
        for lang, words in _COMMANDS.items()
    }
)

YES_EMOJI = frozenset({"👍", "✅", "✔"})
NO_EMOJI = frozenset({"👎", "❌", "✖"})


# Words that confirm the read-back and send the report, besides the button's label
# and the yes words. Sealing cannot be undone: only words that say "send it".
CONFIRM = _folded(
    {
        "en": ("confirm", "confirmed", "send", "send it", "submit", "done", "all good", "correct"),
        "cy": ("cadarnhau", "cadarnhaf", "anfon", "anfonwch", "iawn"),
        "pl": ("potwierdź", "potwierdzam", "wyślij", "wysyłam", "zatwierdź", "zgadza się"),
        "ro": ("confirm", "confirmă", "trimite", "trimiteți", "e corect"),
        "pt": ("confirmar", "confirmo", "enviar", "envie", "está certo"),
        "es": ("confirmar", "confirmo", "enviar", "envíalo", "está bien", "correcto"),
        "fr": ("confirmer", "je confirme", "envoyer", "envoyez", "c'est bon"),
        "it": ("confermare", "confermo", "conferma", "invia", "inviare", "va bene"),
        "lt": ("patvirtinti", "patvirtinu", "siųsti", "siųskite", "teisingai"),
        "tr": ("onayla", "onaylıyorum", "gönder", "tamam gönder", "doğru"),
        "ar": ("تأكيد", "أكد", "اكد", "أؤكد", "ارسل", "أرسل", "إرسال", "صحيح"),
        "ur": ("تصدیق", "تصدیق کریں", "بھیجیں", "بھیج دیں", "ٹھیک ہے", "confirm karo"),
        "bn": ("নিশ্চিত", "নিশ্চিত করুন", "পাঠান", "পাঠিয়ে দিন", "ঠিক আছে"),
        "pa": (
            "ਪੁਸ਼ਟੀ",
            "ਪੁਸ਼ਟੀ ਕਰੋ",
            "ਭੇਜੋ",
            "ਭੇਜ ਦਿਓ",
            "ਠੀਕ ਹੈ",
            "تصدیق",
            "گھلو",
            "گھل دیو",
            "تصدیق کرو تے گھلو",
            "ٹھیک اے",
        ),
        "gu": ("પુષ્ટિ", "પુષ્ટિ કરો", "મોકલો", "મોકલી દો", "બરાબર છે"),
        "so": ("xaqiiji", "xaqiiji oo dir", "dir", "u dir", "waa sax"),
        "ru": (
            "подтвердить",
            "подтверждаю",
            "отправить",
            "отправляйте",
            "отправь",
            "всё верно",
            "все верно",
        ),
        "uk": (
            "підтвердити",
            "підтверджую",
            "надіслати",
            "надсилайте",
            "все правильно",
            "усе правильно",
        ),
        "bg": ("потвърди", "потвърждавам", "изпрати", "изпращай", "всичко е вярно", "вярно е"),
        "sk": ("potvrdiť", "potvrdzujem", "odoslať", "pošli", "pošlite", "všetko sedí", "sedí"),
        "hu": (
            "megerősítem",
            "megerősítés",
            "küldés",
            "küldd",
            "küldje",
            "elküldöm",
            "minden stimmel",
            "stimmel",
        ),
        "sq": ("konfirmo", "konfirmoj", "dërgo", "dërgoje", "gjithçka në rregull", "në rregull"),
        "vi": ("xác nhận", "gửi", "gửi đi", "xác nhận và gửi", "đúng rồi gửi đi"),
        "zh": ("确认", "確認", "发送", "發送", "确认并发送", "確認並發送", "提交", "发吧", "發吧"),
        "fa": ("تایید", "تأیید", "ارسال", "بفرست", "بفرستید", "تایید و ارسال", "تأیید و ارسال"),
        "ps": ("تایید", "تأیید", "لېږل", "ولېږئ", "یې ولېږه", "تایید او لېږل", "سم دی"),
        "ckb": ("پشتڕاستکردنەوە", "پشتڕاستی دەکەمەوە", "ناردن", "بینێرە", "بنێرە", "دروستە"),
        "ta": ("உறுதிசெய்", "உறுதி", "அனுப்பு", "அனுப்புங்கள்", "உறுதிசெய்து அனுப்பு", "சரி அனுப்பு"),
        "ti": ("ኣረጋግጽ", "ስደድ", "ኣረጋግጽን ስደድን", "ስደዶ", "ልክዕ እዩ"),
    }
)

# Words that turn a phrase around ("not", "wasn't"): an option's words found in an
# answer that also holds one of these elsewhere are not trusted (see `_choice`).
NEGATIONS = _folded(
    {
        "en": (
            *("not", "no", "never", "dont", "didnt", "wasnt", "werent", "isnt", "arent"),
            *("hasnt", "havent", "hadnt", "cant", "couldnt", "wont", "wouldnt", "neither"),
            *("nor", "nobody", "nothing", "without"),
        ),
        "cy": ("ddim", "nid", "nac", "nad", "na", "heb", "erioed", "byth", "dim"),
        "pl": ("nie", "nigdy", "ani", "bez", "żaden", "żadnej"),
        "ro": ("nu", "nici", "niciodată", "fără", "n-a", "n-au"),
        "pt": ("não", "nunca", "nem", "sem", "nenhum", "nenhuma"),
        "es": ("no", "nunca", "ni", "tampoco", "sin", "ningún", "ninguna"),
        "fr": ("ne", "pas", "jamais", "ni", "non", "sans", "aucun", "aucune"),
        "it": ("non", "mai", "né", "senza", "nessun", "nessuno", "nessuna"),
        "lt": ("ne", "nebuvo", "nedirbo", "niekada", "be", "nei"),
        "tr": ("değil", "degil", "yok", "hiç", "hayır", "olmadan"),
        "ar": ("لا", "لم", "لن", "ليس", "ليست", "ما", "مش", "مو", "بدون", "غير"),
        "ur": ("نہیں", "نہ", "مت", "بغیر", "nahi", "nahin", "na"),
        "bn": ("না", "নয়", "নেই", "নি", "ছাড়া", "কখনো"),
        "pa": ("ਨਹੀਂ", "ਨਾ", "ਬਿਨਾਂ", "ਕਦੇ", "نئیں", "نہیں", "نہ", "ناں", "بنا", "کدی"),
        "gu": ("નહીં", "ના", "નથી", "વગર", "ક્યારેય"),
        "so": ("ma", "maya", "mayo", "aan", "la'aan"),
        "ru": ("не", "нет", "ни", "никогда", "без", "неа"),
        "uk": ("не", "ні", "ніколи", "без", "нє"),
        "bg": ("не", "нито", "никога", "без", "няма"),
        "sk": ("nie", "ani", "nikdy", "bez", "nebol", "nebola", "nepracoval"),
        "hu": ("nem", "ne", "sem", "soha", "nélkül", "nincs"),
        "sq": ("nuk", "s", "jo", "kurrë", "pa", "as", "mos"),
        "vi": ("không", "ko", "chưa", "chẳng", "đừng", "hông"),
        "zh": ("不", "没", "沒", "未", "无", "無", "非", "唔", "冇", "别", "別"),
        "fa": ("نه", "نبود", "نیست", "نمی", "هیچ", "بدون", "هرگز"),
        "ps": ("نه", "مه", "هېڅ", "هیڅ", "بې", "هېڅکله"),
        "ckb": ("نا", "نە", "نەبوو", "نییە", "هیچ", "بەبێ", "هەرگیز"),
        "ta": ("இல்லை", "இல்ல", "இல்லாமல்", "வேண்டாம்", "ஒருபோதும்"),
        "ti": ("ኣይ", "የለን", "ኣይፋል", "ብዘይ", "ፈጺመ"),
    }
)


# Words that say the rest of an answer adds something ("don't know, but maybe
# Smith"): such an answer is kept, never read as "don't know" alone.
CONTRAST = _folded(
    {
        "en": ("but", "maybe", "perhaps", "think", "might", "though", "except"),
        "cy": ("ond", "efallai", "falle", "meddwl"),
        "pl": ("ale", "chyba", "może", "myślę", "jednak"),
        "ro": ("dar", "poate", "cred"),
        "pt": ("mas", "talvez", "acho", "porém"),
        "es": ("pero", "quizás", "quizá", "creo", "tal vez"),
        "fr": ("mais", "peut-être", "peut être", "pense", "crois"),
        "it": ("ma", "forse", "penso", "credo", "però"),
        "lt": ("bet", "gal", "galbūt", "manau"),
        "tr": ("ama", "fakat", "belki", "sanırım", "galiba"),
        "ar": ("لكن", "بس", "ربما", "يمكن", "أظن", "اعتقد"),
        "ur": ("لیکن", "مگر", "شاید", "lekin", "shayad"),
        "bn": ("কিন্তু", "হয়তো", "মনে হয়"),
        "pa": ("ਪਰ", "ਸ਼ਾਇਦ", "ਲੱਗਦਾ", "پر", "شاید", "لگدا"),
        "gu": ("પણ", "કદાચ", "લાગે"),
        "so": ("laakiin", "balse", "malaha", "shaki"),
        "ru": ("но", "может", "наверное", "кажется", "думаю", "вроде"),
        "uk": ("але", "може", "мабуть", "здається", "думаю"),
        "bg": ("но", "може би", "май", "мисля", "обаче"),
        "sk": ("ale", "možno", "asi", "myslím", "však"),
        "hu": ("de", "talán", "szerintem", "azt hiszem", "viszont"),
        "sq": ("por", "ndoshta", "mendoj", "besoj", "mirëpo"),
        "vi": ("nhưng", "có lẽ", "chắc là", "hình như", "nghĩ là"),
        "zh": ("但是", "不过", "不過", "可能", "也许", "也許", "好像"),
        "fa": ("ولی", "اما", "شاید", "فکر کنم", "به نظرم"),
        "ps": ("خو", "مګر", "ښايي", "شاید", "فکر کوم"),
        "ckb": ("بەڵام", "لەوانەیە", "ڕەنگە", "پێم وایە"),
        "ta": ("ஆனால்", "ஒருவேளை", "நினைக்கிறேன்"),
        "ti": ("ግን", "ምናልባት", "ይመስለኒ"),
    }
)


def leads_with_yes_or_no(key: str, locale: str) -> str | None:
    """ "yes" or "no" for an answer that is one, or starts or ends with one and says no
    more against it: "no not right now", "nie ma", "creo que no", "yes i did".
    Never for a "don't know" ("no idea") or an answer holding both a yes and a no."""
    if said := yes_or_no(key, locale):
        return said
    words = key.split()
    if len(words) < 2 or len(words) > 8 or any(ch.isdigit() for ch in key):
        return None
    unknown = words_for(UNKNOWN, locale)
    padded = f" {key} "
    if any(f" {phrase} " in padded for phrase in unknown):
        return None
    found = {yes_or_no(" ".join(words[:n]), locale) for n in (1, 2)}
    found |= {yes_or_no(" ".join(words[-n:]), locale) for n in (1, 2)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def starts_unknown(key: str, locale: str) -> bool:
    """An answer that begins with "don't know" and adds at most three words, none a number
    or a "but": "i dont know his name", "nie wiem jak sie nazywa"."""
    words = key.split()
    if len(words) > 8 or any(ch.isdigit() for ch in key):
        return False
    contrast = words_for(CONTRAST, locale)
    for phrase in words_for(UNKNOWN, locale):
        size = len(phrase.split())
        rest = words[size:]
        if " ".join(words[:size]) == phrase and len(rest) <= 3:
            return not any(word in contrast for word in rest)
    return False


def yes_or_no(key: str, locale: str) -> str | None:
    """ "yes" or "no" when the folded answer `key` is one of the yes or no words."""
    if key in words_for(NO, locale):
        return "no"
    return "yes" if key and key in words_for(YES, locale) else None


def confirms(key: str, locale: str) -> bool:
    """The folded answer `key` at the read-back says "send it": a confirm or yes word."""
    if any(ch.isdigit() for ch in key):  # numbers open an answer to change it
        return False
    return key in words_for(CONFIRM, locale) or key in words_for(YES, locale)


def words_for(table: Mapping[str, frozenset[str]], locale: str) -> frozenset[str]:
    """English words plus those of the reporter's language ("pt-BR" uses "pt")."""
    return table["en"] | table.get(language_of(locale), frozenset())


def command_words(command: Command, locale: str) -> frozenset[str]:
    """Everyday words for `command` in the reporter's language, folded."""
    return COMMANDS.get(language_of(locale), {}).get(command, frozenset())
