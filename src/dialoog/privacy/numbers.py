"""Dutch number words: standard ones from `number_words` and `ordinal_words` ("vierendertig" -> 34,
"eenentwintigste" -> 21), and those of Frisian and the dialects as one regex (`dialect_number_pattern`)."""

from __future__ import annotations

from dialoog.privacy.lexicon import trie_pattern

_UNITS = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_TEENS = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]


def number_words(low: int = 1, high: int = 100) -> dict[str, int]:
    """Dutch number words from `low` to `high` ("vierendertig" -> 34), with and without diaeresis."""
    out: dict[str, int] = {}
    for n in range(low, high + 1):
        if n < 10:
            words = [_UNITS[n]]
        elif n < 20:
            words = [_TEENS[n - 10]]
        elif n < 100:
            unit, ten = n % 10, _TENS[n // 10]
            if unit == 0:
                words = [ten]
            else:
                u = _UNITS[unit]
                joiner = "ën" if u.endswith("e") else "en"
                words = [u + joiner + ten, u + "en" + ten]
        else:
            words = ["honderd"] if n == 100 else []
        for w in words:
            out[w] = n
    return out


_FY_TEENS = ["trettjin", "fjirtjin", "fyftjin", "sechstjin", "santjin", "achttjin", "njoggentjin"]
#: (with the teens of Limburgs, Brabants and Twents: "vieftien", "zèstien", "zeuventien", "viefteen")
_FY_TEENS += ["vieftien", "viefteen", "vuuftien", "zèstien", "zesteen", "zeuventien", "zeuvetien", "zeuventeen"]
_FY_TEENS += ["veerteen", "achtteen", "negenteen", "dartien", "dertteen"]
#: Units and tens as Frisian, Stellingwerfs, Twents, Zeeuws and Limburgs speakers say them ("sânentweintich",
#: "tweeënvuftig", "viefenzestig", "vuufenzeuventig", "achtenvieftig").
_DIALECT_UNITS = {
    1: "een ien",
    2: "twee twie twa",
    3: "drie trije dree",
    4: "vier fjouwer veer",
    5: "vijf vief vuuf fiif",
    6: "zes seis",
    7: "zeven zeuven sân zöven",
    8: "acht ach",
    9: "negen njoggen neuge",
}
_DIALECT_TENS = {
    2: "twintig tweintich twinteg",
    3: "dertig tritich dartig",
    4: "veertig fjirtich feertig",
    5: "vijftig fyftich vieftig vuftig vuuftig",
    6: "zestig sechstich",
    7: "zeventig santich zeuventig zöventig",
    8: "tachtig tachtich",
    9: "negentig njoggentich neugentig",
}


def dialect_number_pattern() -> str:
    """A regex of the number words from 13 to 99 as speakers of Frisian and the dialects write them
    ("sânentweintich", "tweeënvuftig", "viefenzestig", "achenvieftig"; see `_DIALECT_UNITS`), also with a
    capital: a unit, "en" or "ën", a ten; or a ten alone. Kept apart from `number_words` (whose words are
    also spelled out in phone numbers and dates) and written as a regex rather than every combination."""
    units = [u for us in _DIALECT_UNITS.values() for u in us.split()]
    tens = [x for ts in _DIALECT_TENS.values() for x in ts.split()]
    cap = lambda words: words + [w[:1].upper() + w[1:] for w in words]  # noqa: E731
    u, t = trie_pattern(cap(units)), trie_pattern(tens)
    return rf"(?:{u}(?:ën|en){t}|{trie_pattern(cap(tens))}|{trie_pattern(cap(_FY_TEENS))})"


_ORDINAL_UNITS = ["", "eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende"]


def ordinal_words(low: int = 1, high: int = 100) -> dict[str, int]:
    """Dutch ordinal words ("eenentwintigste" -> 21, "achttiende" -> 18), with and without diaeresis."""
    out: dict[str, int] = {}
    for word, n in number_words(max(low, 10), high).items():
        if n < 20:
            out[word + ("de" if n != 10 else "de")] = n
        else:
            out[word + "ste"] = n
    for n in range(low, min(high, 9) + 1):
        out[_ORDINAL_UNITS[n]] = n
    out["achttiende"] = 18
    return {w: n for w, n in out.items() if low <= n <= high}
