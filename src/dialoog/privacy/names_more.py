"""More person names found by how a text uses them (beside `dialoog.privacy.names_used`).

- A name right before an age in brackets: "Juni (17) is non-binair", "Will (34)"; also a word ("Juni") or a
  month, since nothing else is written that way.
- A name after the field of a case note or a report ("Cliënt: Juni de Wit (gekozen naam)", "Melder: Sem van
  Dijk"): a first name with a surname, alone on the line or before a comma or bracket.
- Speaker labels that are initials with full stops ("M.:", "M.B.:", "K.:"), used for two turns or more; the
  letters of roles ("I.", "R.", "V.", "A.") stay.
- In lower-case chat and speech-to-text, a rare word after a word of kinship or friendship ("mn zus kasia").
- An apposition to a person in English ("my partner, Will, ...", "our neighbour, Geert, ...").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from dialoog.privacy.context import lower_case_regions
from dialoog.privacy.key import _norm
from dialoog.privacy.lexicon import Span, Words, trie_pattern
from dialoog.privacy.scan import word_matches

_UP = "A-Z\u00c0-\u00de"
_L = r"[^\W\d_]"
_CAP = rf"[{_UP}]{_L}+(?:['’-]{_L}+)*"
_INTERFIX = r"(?:van|de|der|den|ter|ten|te|el|al|Van|De|Den|Ter|Ten|El|Al)"

_AGE_IN_BRACKETS_RE = re.compile(r"\((?:1[0-9]|[2-9]\d|[1-9]|10\d)\)")
_WORD_BEFORE_RE = re.compile(rf"(?<![\w-])({_CAP})\s+$")
_NOT_A_NAME = frozenset(
    "bijlage groep klas pagina vraag stap fase hoofdstuk punt artikel tabel figuur week dag jaar nummer versie "
    "deel ronde kamer bus lijn zaal tafel aantal totaal leeftijd".split()
)
_FIELD_RE = re.compile(
    rf"(?m)^[ \t]*(?:Cliënt|Client|Cliente|Betrokkene|Melder|Aangever|Aangeefster|Verdachte|Patiënt|Jeugdige|"
    rf"Contactpersoon)[ \t]*:[ \t]*({_CAP}(?:[ \t]+(?:{_INTERFIX}[ \t]+){{0,3}}{_CAP}){{1,3}})(?=[ \t]*(?:[,(]|$))"
)
_INITIALS_LABEL_RE = re.compile(rf"(?m)^[ \t]*(?:[\[(][^\]\)\n]{{0,24}}[\])][ \t]*)?((?:[{_UP}]\.){{1,3}})[ \t]*:")
#: A chat sender with a surname ("[21:26] April Bakker: ..."), a name of one word said as a sentence of its own
#: before a pronoun ("... die ook lesbisch was. Dorota. Zij woont nu in Venlo."), initials in brackets after a
#: name ("Interviewer: Jelmer (JW).")
#: The time stamp of a chat message, with a date before it or not ("[22:03]", "[12-03 19:04]",
#: "12-03-2024 19:04 -", "(22.03.15)").
_STAMP = (
    r"[\[(]?(?:\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?,?[ \t]+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?[\])]?[ \t]*(?:-[ \t]*)?"
)
_SENDER_RE = re.compile(rf"(?m)^[ \t]*{_STAMP}({_CAP}(?:[ \t]+{_CAP}){{1,2}}):")
_SENTENCE_NAME_RE = re.compile(rf"[.!?][ \t]+({_CAP})\.[ \t]+(?:Zij|Hij|Ze|She|He|Die)\b")
#: "(JW)", "(HvdB)", and after a role in the same brackets: "(notulen, AR)", "(voorzitter, JdB)"
_INITIALS_IN_BRACKETS_RE = re.compile(
    rf"\((?:[^()\n,]{{1,60}},[ \t]*)?([{_UP}](?:[a-z]{{1,3}}[{_UP}]|[{_UP}]{{0,2}}))\)"
)
#: A chat sender in lower case after a time stamp ("[22:03] kasia: ...", "[22:09] jesse_mdl: ...").
#: A sender of more words in lower case ("henk v d berg") counts when its first word is no word.
_LOWER_SENDER_RE = re.compile(rf"(?m)^[ \t]*{_STAMP}([a-z][\w.]{{1,24}}(?:[ \t]+[a-z][\w.]{{0,12}}){{0,3}}):[ \t]")
_ROLE_WORDS = frozenset("interviewer respondent moderator beheerder admin systeem onderzoeker spreker".split())
_ROLE_LETTERS = frozenset("I. R. V. A. Q. S. P. O. D. T.".split())
_LOWER_KIN_RE = re.compile(
    trie_pattern(
        "zus zusje broer broertje vriendin vriend vriendje partner nichtje neefje dochter zoon collega buurvrouw "
        "buurman ex moeder vader tante oom oma opa".split()
    )
    + r"\s+([a-zà-ÿ][a-zà-ÿ'-]{1,})(?![\w@-])"
)
_EN_APPOSITION_RE = re.compile(
    r"(?:my|his|her|our|their)\s+(?:[a-z]+\s+)?(?:partner|husband|wife|friend|boyfriend|girlfriend|colleague|"
    r"neighbour|neighbor|son|daughter|brother|sister|mother|father|aunt|uncle|cousin|boss|manager)"
    rf",\s+({_CAP})(?=\s*[,.;])"
)


def more_names(w: Words, text: str, regions: list[tuple[int, int]] | None = None) -> list[Span]:
    """The names of the module docstring in `text` (`regions`: `lower_case_regions(text)`, if known)."""
    out = []
    if "(" in text:
        for age in _AGE_IN_BRACKETS_RE.finditer(text):
            m = _WORD_BEFORE_RE.search(text, max(0, age.start() - 40), age.start())
            word = m.group(1) if m else ""
            if word and word.casefold() not in _NOT_A_NAME and _norm(word) not in w._allowed_words:
                out.append(Span(m.start(1), m.end(1), "persoon", word))
    if ":" in text:
        out += [Span(m.start(1), m.end(1), "persoon", m.group(1)) for m in _FIELD_RE.finditer(text)]
        labels = list(_INITIALS_LABEL_RE.finditer(text))
        counts = Counter(m.group(1) for m in labels)
        out += [
            Span(m.start(1), m.end(1), "persoon", m.group(1))
            for m in labels
            if counts[m.group(1)] >= 2 and m.group(1) not in _ROLE_LETTERS
        ]
    for m in _SENDER_RE.finditer(text):
        if w.is_surname(m.group(1).split()[-1]) and _norm(m.group(1)) not in w._allowed_words:
            out.append(Span(m.start(1), m.end(1), "persoon", m.group(1)))
    for m in _SENTENCE_NAME_RE.finditer(text):
        word = m.group(1)
        if not w.is_common_word(word) and _norm(word) not in w._allowed_words:
            out.append(Span(m.start(1), m.end(1), "persoon", word))
    if "(" in text:
        out += _bracketed_initials(w, text)
    if ":" in text:
        out += _initials_labels(text)
    if ":" in text:  # chat senders in lower case, two messages or more, that are no role or word
        senders = list(_LOWER_SENDER_RE.finditer(text))
        counts = Counter(m.group(1) for m in senders)
        out += [
            Span(m.start(1), m.end(1), "persoon", m.group(1))
            for m in senders
            if counts[m.group(1)] >= 2
            and ("_" in m.group(1) or not w.is_common_word(m.group(1).split()[0]))
            and m.group(1).split()[0] not in _ROLE_WORDS
        ]
    if regions is None:
        regions = lower_case_regions(text)
    out += repeated_lower_names(w, text, regions)
    in_lower_lines = (m for a, b in regions for m in _LOWER_KIN_RE.finditer(text, a, b))
    for m in in_lower_lines:  # (chat and speech-to-text: a name in lower case)
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-"):
            continue
        word = m.group(1)
        if len(word) == 2 and not (w.is_known_first_name(word.capitalize()) and not w.is_common_word(word)):
            continue  # two letters: only a first name that is no word ("onze zoon bo", not "mijn zus en")
        if w.is_known_first_name(word.capitalize()) or w.is_rare_word(word.capitalize()):
            out.append(Span(m.start(1), m.end(1), "persoon", word))
    if ", " in text:
        for m in word_matches(_EN_APPOSITION_RE, text):
            if _norm(m.group(1)) not in w._allowed_words:
                out.append(Span(m.start(1), m.end(1), "persoon", m.group(1)))
    return out


_TWO_OR_THREE_CAPITALS = re.compile(rf"[{_UP}]{{2,3}}|[{_UP}][a-z]{{1,3}}[{_UP}]")


def initials_of_a_name(label: str, text: str) -> bool:
    """A label of two or three capitals ("FD"), or of capitals around an interfix ("HvdB"), that are the
    initials of a name the text writes in full ("Femke Dijkstra (FD)", "Dirk de Haan" for "DH", "Hanneke van
    den Broek" for "HvdB"): a person, not a role abbreviation ("IV", "GGD")."""
    if not _TWO_OR_THREE_CAPITALS.fullmatch(label):
        return False
    return _name_of_initials(label).search(text) is not None


_LOWER_WORD_RE = re.compile(r"(?<![\w@.-])([a-zà-ÿ][a-zà-ÿ'-]{2,})(?![\w@-])")


def repeated_lower_names(w: Words, text: str, regions: list[tuple[int, int]]) -> list[Span]:
    """In lower-case lines (speech-to-text, chat), a word said three times or more that is no word, place or
    public name in any list and rare in Dutch and English ("agus", "gosia"): a name nobody capitalised. (On
    every fixture set and the demo study this finds no ordinary word.) `regions`: the lower-case lines."""
    found = [m for a, b in regions for m in _LOWER_WORD_RE.finditer(text, a, b)]
    counts = Counter(m.group(1) for m in found)
    names = {
        word
        for word, n in counts.items()
        if n >= 3 and w.is_rare_word(word.capitalize()) and not w.is_common_word(word) and not w.is_readable_name(word)
    }
    return [Span(m.start(1), m.end(1), "persoon", m.group(1)) for m in found if m.group(1) in names]


#: Initials without full stops as a speaker label: "SK:", "TH:", "RdW:", "JvdB:".
_PLAIN_INITIALS_LABEL_RE = re.compile(
    rf"(?m)^[ \t]*(?:[\[(][^\]\)\n]{{0,24}}[\])][ \t]*)?([{_UP}](?:[a-z]{{1,3}})?[{_UP}]{{1,2}}):[ \t]"
)
_INITIALS_SAID = re.compile(r"(?i)(?<!\w)initialen(?!\w)")
#: Abbreviations of roles that open a line like initials do.
_ROLE_ABBREVIATIONS = frozenset("GL GSL INT IV INTV OZ OND VZ MOD RESP RS NB PS BL TK DL AL WN WG".split())
_ROLE_BEFORE = re.compile(
    r"(?i)(?:gespreksleid|interview|moderat|onderzoek|voorzit|notul|begeleid|facilitat)\w*\s*[:=(-]\s*$"
)


def _initials_labels(text: str) -> list[Span]:
    """Speaker labels of initials without full stops, used twice or more: initials with a lower-case
    interfix ("RdW", "JvdB") always; capitals alone ("SK", "TH") when the text says its speakers are
    named by their initials ("deelnemers aangeduid met initialen"). Not a role's abbreviation ("GL", "INT")
    or the label a role is given ("Gespreksleider: GL")."""
    labels = list(_PLAIN_INITIALS_LABEL_RE.finditer(text))
    if not labels:
        return []
    counts = Counter(m.group(1) for m in labels)
    said = _INITIALS_SAID.search(text) is not None
    out = []
    for label, n in counts.items():
        if label in _ROLE_ABBREVIATIONS:
            continue
        if (n < 2 or not (said or not label.isupper())) and not initials_of_a_name(label, text):
            continue  # (once, or capitals alone: only the initials of a name written in full, "FK" of "Femke Klaver")
        if any(_ROLE_BEFORE.search(text, max(0, i - 30), i) for i in _positions(text, label)):
            continue
        out += [Span(m.start(1), m.end(1), "persoon", label) for m in labels if m.group(1) == label]
    return out


def _positions(text: str, word: str) -> list[int]:
    """Where `word` occurs in `text` as a whole word."""
    out, i = [], text.find(word)
    while i >= 0:
        j = i + len(word)
        if (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            out.append(i)
        i = text.find(word, i + 1)
    return out


@lru_cache(maxsize=4096)
def _name_of_initials(label: str) -> re.Pattern[str]:
    """The full name of initials: a word per capital, an interfix word per lower-case letter ("v" of "van")."""
    out, gap = "", rf"[ \t]+(?:{_INTERFIX}[ \t]+){{0,3}}"
    for i, c in enumerate(label):
        if c.islower():
            out += (r"[ \t]+" if label[i - 1].isupper() else "") + rf"{c}[a-z]{{0,2}}[ \t]+"
        else:
            out += (gap if i and label[i - 1].isupper() else "") + rf"{c}{_L}*(?:['’-]{_L}+)*"
    return re.compile(rf"(?<![\w-]){out}(?![\w-])")


@lru_cache(maxsize=4096)
def _label_of(initials: str) -> re.Pattern[str]:
    """Initials as a speaker label at a line start ("HZ:", "[10:02] T:")."""
    return re.compile(rf"(?m)^[ \t]*(?:[\[(][^\]\)\n]{{0,24}}[\])][ \t]*)?({re.escape(initials)}):")


def _bracketed_initials(w: Words, text: str) -> list[Span]:
    """Initials in brackets after a name ("Jelmer (JW)", "Hazel (HZ)", "Thomas (T)"; not "Nederlandse Gebarentaal
    (NGT)"): the first letter is the name's, and the name is a known first name or the initials are a speaker
    label of their own ("HZ:"); or initials of a full name written in the text ("Kim Koster" ... "(KK)")."""
    out = []
    for m in _INITIALS_IN_BRACKETS_RE.finditer(text):
        initials = m.group(1)
        before = _WORD_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
        labels = list(_label_of(initials).finditer(text))
        named = before is not None and before.group(1)[0] == initials[0]
        if (named and (labels or w.is_known_first_name(before.group(1)))) or (
            len(initials) > 1 and initials_of_a_name(initials, text)
        ):
            out.append(Span(m.start(1), m.end(1), "persoon", initials))
            full = _name_of_initials(initials).search(text, max(0, m.start() - 60), m.start())
            if full and not text[full.end() : m.start()].strip():  # "Juni Vos (JV)": the name too
                out.append(Span(full.start(), full.end(), "persoon", full.group()))
            out += [Span(x.start(1), x.end(1), "persoon", initials) for x in labels]  # ("T:", which is also a role)
    return out


def diminutives(names: set[str]) -> set[str]:
    """Diminutives of one-word first names ("Storm" -> "Stormpje", "Roos" -> "Roosje"): the same person."""
    out = set()
    for n in names:
        if " " in n or len(n) < 3 or not n[:1].isupper():
            continue
        ends = ("pje",) if n[-1] in "m" else ("tje",) if n[-1] in "aeiouyn" or n.endswith("el") else ("je",)
        out.update(n + e for e in ends)
    return out
