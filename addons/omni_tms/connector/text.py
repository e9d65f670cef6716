"""Text the way carriers take it and give it: plain ASCII letters, values cut to their
field's length, numbers and dates written as text.

Many carrier fields take ASCII letters only and refuse a value longer than the field.
``to_ascii`` keeps what a letter means (``Łódź`` is ``Lodz``, ``Москва`` is ``Moskva``)
instead of dropping it, and ``wrap`` / ``fit`` cut between words, so a label is made
with the address the carrier can read rather than refused. ``decimal`` and
``parse_timestamp`` read the numbers and dates of carriers' answers. ``_lt`` marks the
messages connectors explain carriers' errors with, for Odoo's translations.
"""

import re
import textwrap
import unicodedata
from datetime import datetime, timezone

# Letters that NFKD does not split into a Latin letter and accents, with their Latin
# spelling; Greek after ELOT 743, Cyrillic after the usual passport romanisations.
# Marks left after decomposition are dropped, as are letters of scripts not listed.
LATIN_SPELLINGS = {
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "ß": "ss",
    "ẞ": "SS",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ð": "D",
    "ð": "d",
    "Þ": "Th",
    "þ": "th",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "ĸ": "k",
    "Ŋ": "N",
    "ŋ": "n",
    "Ŧ": "T",
    "ŧ": "t",
    "ƒ": "f",
    # Punctuation with a plain equivalent.
    "‘": "'",
    "’": "'",
    "‚": "'",
    "ʼ": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
}
GREEK = (
    "ΑA ΒV ΓG ΔD ΕE ΖZ ΗI ΘTh ΙI ΚK ΛL ΜM ΝN ΞX ΟO ΠP ΡR ΣS ΤT ΥY ΦF ΧCh ΨPs ΩO "
    "αa βv γg δd εe ζz ηi θth ιi κk λl μm νn ξx οo πp ρr σs ςs τt υy φf χch ψps ωo"
)
CYRILLIC = (
    "АA БB ВV ГG ДD ЕE ЖZh ЗZ ИI ЙI КK ЛL МM НN ОO ПP РR СS ТT УU ФF ХKh ЦTs ЧCh ШSh "
    "ЩShch Ъ ЫY Ь ЭE ЮYu ЯYa ЄYe ІI ҐG ЂDj ЈJ ЉLj ЊNj ЋC ЏDz ЅDz "
    "аa бb вv гg дd еe жzh зz иi йi кk лl мm нn оo пp рr сs тt уu фf хkh цts чch шsh "
    "щshch ъ ыy ь эe юyu яya єye іi ґg ђdj јj љlj њnj ћc џdz ѕdz"
)
# Greek vowel pairs spelt as one sound.
GREEK_PAIRS = {"ου": "ou", "αυ": "av", "ευ": "ev"}


def _spellings():
    """Every letter (or Greek pair) spelt otherwise, in each case it is written."""
    spellings = dict(LATIN_SPELLINGS)
    for table in (GREEK, CYRILLIC):
        spellings.update((pair[0], pair[1:]) for pair in table.split())
    for pair, latin in GREEK_PAIRS.items():
        spellings.update({pair: latin, pair.capitalize(): latin.capitalize()})
        spellings[pair.upper()] = latin.upper()
    return spellings


SPELLINGS = _spellings()
_SPELLED = re.compile("|".join(map(re.escape, sorted(SPELLINGS, key=len, reverse=True))))


def _spell(match):
    """The Latin spelling of a letter, in capitals within a word in capitals."""
    latin = SPELLINGS[match.group()]
    around = match.string[max(match.start() - 1, 0) : match.start()]
    around += match.string[match.end() : match.end() + 1]
    if match.group().isupper() and any(char.isupper() for char in around):
        return latin.upper()
    return latin


def to_ascii(value):
    """``value`` in ASCII: accents dropped, other letters spelt in Latin letters, and
    what has no Latin spelling here (e.g. Chinese characters) left out."""
    decomposed = unicodedata.normalize("NFKD", str(value or ""))
    return _SPELLED.sub(_spell, decomposed).encode("ascii", "ignore").decode()


def _lt(message):
    """``message`` unchanged, marked for Odoo's translation export (which looks for
    ``_lt``): the Odoo layer translates it where it is shown, e.g. with the ``messages``
    a connector takes."""
    return message


def _lines(text, length):
    return textwrap.wrap(text, width=length, break_on_hyphens=True)


def wrap(texts, length, count):
    """``texts`` on ``count`` lines of ``length`` characters at most, cut between words.

    Each text keeps lines of its own while they all fit; otherwise the texts are run
    together and cut again, and what does not fit in ``count`` lines is left out.
    Always ``count`` strings (empty ones for lines not needed).
    """
    texts = [" ".join(text.split()) for text in texts if text and text.strip()]
    lines = [line for text in texts for line in _lines(text, length)]
    if len(lines) > count:
        lines = _lines(" ".join(texts), length)
    lines = lines[:count]
    return lines + [""] * (count - len(lines))


def fit(text, length):
    """``text`` cut to ``length`` characters at most, between words when it can."""
    return wrap([text], length, 1)[0]


def phone_number(value):
    """Digits (and a leading +) of a phone number, whatever digits it was typed with."""
    value = unicodedata.normalize("NFKC", str(value or "")).strip()
    digits = "".join(str(unicodedata.decimal(char)) for char in value if char.isdecimal())
    return f"+{digits}" if value.startswith("+") and digits else digits


def decimal(value):
    """A float from a carrier's decimal text, with a point or a comma (``45,7728450``);
    0.0 for what is not a number."""
    try:
        return float(str(value or "").strip().replace(",", "."))
    except ValueError:
        return 0.0


def parse_timestamp(value):
    """Naive UTC datetime from an ISO 8601 timestamp."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment
