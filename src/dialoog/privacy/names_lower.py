"""Names in lower case (speech-to-text, chat) that are also ordinary words, found by a cue that only a name
has: "ome wiel", "tante mien" (an uncle's or aunt's name), "die heet lama", "mei's moeder" (a possessive
before a family word), "mei is 17" (a name and an age), and in a chat a short form of a sender's name said
to them ("wat is er ay" to Ayla). Such a name is then found in its other lower-case mentions too, unless an
article, a number or a word of time before it shows the ordinary word ("het wiel", "in mei", "3 mei"):
`ordinary_use`.

Also names a text itself says are names, capitalised or not (`capitalised_cued_names`: "Mei is mien buurvrouw",
"Wilhelmina (Willy)", "(roepnaam Lies)", "JV: Ik ben Juni"; these are found again even where they are also a
place), and labels that stand for a person (`handles_and_initials`: a handle as a speaker label, "jw_wezep:";
initials explained, "JG = Juni Groen"; given in brackets after the sentence that names the speaker, "Dagmar
joins later (DG)"; of one letter, "Yonas (Y)"; an initial with its name, "I. (Ilse Kok)").
"""

from __future__ import annotations

import re

from dialoog.privacy.lexicon import Span, Words

_W = r"([a-zà-ÿ][a-zà-ÿ'-]{1,})(?![\w@-])"
#: a family word or title used as a title (not after "mijn", "de": "mn opa leeft nog")
_UNCLE_RE = re.compile(
    rf"(?<![\w-])(?<!mijn )(?<!m'n )(?<!mn )(?<!zijn )(?<!z'n )(?<!haar )(?<!onze )(?<!ons )(?<!je )(?<!jouw )"
    rf"(?<!hun )(?<!de )(?<!het )(?<!een )(?<!die )(?<!deze )"
    rf"(?:ome|oom|tante|tant|opa|oma|nonkel|nonk|dominee|pastoor|juf|juffrouw|meester|imam)\s+{_W}"
)
_CALLED_RE = re.compile(
    r"(?<![\w-])(?:(?:die|ze|zij|hij|ik|jij|je|dat|ons|onze|moeder|vader|zus|broer|man|vrouw|vriend|vriendin|zoon|"
    r"dochter|partner|oma|opa|buurman|buurvrouw|collega)\s+(?:heet|heette|noemen\s+we)|(?:heet|heette)\s+(?:hij|zij|ze))"
    rf"\s+{_W}"
)
#: the ending of an inflected verb ("leeft", "gezegd", "preekte"): no name after a title
_VERB_END = re.compile(r"(?:t|d|te|de|ten|den)$|^ge\w+(?:d|t|en)$")
_POSSESSIVE_RE = re.compile(
    r"(?<![\w-])([a-zà-ÿ][a-zà-ÿ-]{1,})['’]s\s+(?:moeder|vader|ouders|zus|zusje|broer|broertje|oma|opa|tante|oom|"
    r"vriend|vriendin|vriendje|man|vrouw|partner|kamer|huis|telefoon|insta|account)(?![\w-])"
)
_NAME_AGE_RE = re.compile(
    r"(?:^|(?<=[\s:]))([a-zà-ÿ][a-zà-ÿ'-]{1,}) is (1[0-9]|[2-9][0-9])(?!\d)(?![ \t]*(?:graden|euro|%|km|uur|minuten))"
)
#: function words and family words: never a name in these cues
_NOT_NAMES = frozenset(
    "de het een en of van is was die dat zijn haar mijn m'n mn je jij hij zij ze we wij er hier daar toen dan nu "
    "niet wel ook nog al heeft had komt kwam zegt zei zo maar want dus met bij voor op in aan uit ja nee eh uh "
    "ehm heel erg echt gewoon eigenlijk toch even ook dit deze wat wie mama papa mam pap opa oma ome tante oom "
    "iemand niemand iedereen alles niks niets het's d'r zn geloof denk dacht weet zeg trouwens volgens hier daar "
    "toen nou zo dan nu er hij zij".split()
)
#: before an ordinary word: an article or determiner, a number, or a word of time before a month
_ORDINARY_BEFORE = re.compile(
    r"(?<![\w-])(?i:de|het|een|die|deze|geen|elke|ieder|dit|dat|'t|in|eind|begin|half|medio|sinds|vanaf|tot|per)"
    r"\s+\Z"
)
_MONTHS = frozenset("januari februari maart april mei juni juli augustus september oktober november december".split())
_DAY_BEFORE = re.compile(r"(?<!\d)(?:[1-9]|[12]\d|3[01])\s+\Z")
_NUMBER_AFTER = re.compile(r"\s+\d")
#: a chat message's sender: "21:05 - Ayla:", "[21:05] Ayla:"
_SENDER_RE = re.compile(
    r"(?m)^[ \t]*[\[(]?\d{1,2}[:.]\d{2}[\])]?[ \t]*(?:-[ \t]*)?([A-Z\u00c0-\u00de][a-zà-ÿ]{3,})[^\n:]{0,6}:"
)
_VOCATIVE_END = re.compile(r"[ \t]*(?:[!?.,]+|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+)?[ \t]*(?:\n|\Z)")


#: a capitalised word said to be someone's neighbour, friend, ...: "Mei is mien buurvrouw" (also a word)
_IS_MY_RE = re.compile(  # (from " is ": the word before is checked with _NAME_BEFORE, faster than a lookbehind)
    r" is (?:mijn|mien|m'n|mn|onze|ons) (?:beste )?"
    r"(?:buurvrouw|buurman|vriendin|vriend|zus|zuster|broer|partner|vrouw|man|collega|schoonzus|zwager|nicht|neef)"
    r"(?![\w-])"
)
#: a speaker who says their name, with the initial of their label: "JV: Ik ben Juni, ik ben negentien"
_LABEL_SAYS_NAME_RE = re.compile(
    r"(?m)^[ \t]*([A-Z\u00c0-\u00de][A-Za-z]{0,3}):[ \t]+(?:[^\n]{0,40}?[.!,][ \t]+)?(?:[Ii]k ben|[Ii]k heet)[ \t]+"
    r"([A-Z\u00c0-\u00de][a-z\u00df-\u00ff'’-]+)(?![\w-])"
)


#: a name with its nickname or call name in brackets: "Wilhelmina (Willy) Sneep", "J. (roepnaam Jip) Groen"
_CALL_NAME_RE = re.compile(r"\((?:roepnaam[ \t]+)?([A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+)\)")
#: the capitalised word (or initial) right before a match
_NAME_BEFORE = re.compile(r"(?<![\w-])([A-Z\u00c0-\u00de](?:[a-z\u00df-\u00ff]+|\.))[ \t]*$")


#: a speaker label that is a handle ("jw_wezep:", "sanne2009:"): letters with an underscore or a digit
_HANDLE_LABEL_RE = re.compile(r"(?m)^[ \t]*([a-z][a-z0-9.]*(?:_[a-z0-9._]+|[0-9][a-z0-9._]*)):[ \t]")
#: an initial as a label, with the name it stands for in brackets: "Interviewer: I. (Ilse Kok)"
_INITIAL_NAMED_RE = re.compile(r"([A-Z\u00c0-\u00de])\.[ \t]*\(([A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+)")


#: initials explained in a list: "Afkortingen: JG = Juni Groen, WG = moeder, HK = stiefvader"
_INITIALS_EXPLAINED_RE = re.compile(
    r"(?<![\w-])([A-Z\u00c0-\u00de][a-z]{0,2}[A-Z\u00c0-\u00de]{1,2})[ \t]*=[ \t]*"
    r"(?:[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+|moeder|vader|stiefvader|stiefmoeder|broer|zus|oma|opa|partner|"
    r"jongere|client|cliënt|respondent|mentor|pleegmoeder|pleegvader)(?![\w-])"
)
#: a one-letter initial in brackets after a first name: "Yonas (Y)"
_ONE_INITIAL_RE = re.compile(r"\(([A-Z\u00c0-\u00de])\)")
#: initials in brackets given to a person named just before in the sentence: "Her partner Dagmar joins later (DG)."
_LATE_INITIALS_RE = re.compile(r"\(([A-Z\u00c0-\u00de]{2,3})\)")


def handles_and_initials(w: Words, text: str) -> list[Span]:
    """A speaker label that is a handle, used twice or more (every mention of it: an account), and an initial
    as a label whose name is given in brackets ("I. (Ilse Kok)", then every "I.:")."""
    out = []
    if ":" not in text:
        return out
    labels = [m.group(1) for m in _HANDLE_LABEL_RE.finditer(text)]
    for handle in {h for h in labels if labels.count(h) >= 2}:
        out += [
            Span(m.start(), m.end(), "account", handle)
            for m in re.finditer(rf"(?<![\w@.-]){re.escape(handle)}(?![\w-])", text)
        ]
    if "=" in text:
        for m in _INITIALS_EXPLAINED_RE.finditer(text):
            initials = m.group(1)
            out += [Span(x.start(), x.end(), "persoon", initials) for x in _whole(initials).finditer(text)]
    if "(" in text:
        for m in _LATE_INITIALS_RE.finditer(text):  # (a speaker label too, and a first name with its initial)
            initials, before = m.group(1), text[max(text.rfind(".", 0, m.start()), 0) : m.start()]
            label = re.search(rf"(?m)^[ \t]*{initials}:", text)
            named = any(w.is_known_first_name(n) for n in re.findall(rf"(?<![\w-]){initials[0]}[a-z]+", before))
            if label and named:
                out += [Span(x.start(), x.end(), "persoon", initials) for x in _whole(initials).finditer(text)]
        for m in _ONE_INITIAL_RE.finditer(text):  # "Yonas (Y)", then "Y vertelt", "Y komt uit Eritrea"
            letter, name = m.group(1), _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if name and len(name.group(1)) > 2 and letter == name.group(1)[0] and letter not in "IA":
                said = re.compile(rf"(?<![\w.-]){letter}(?=[ \t]+[a-z]|[ \t]*:|\))")
                out += [Span(x.start(), x.end(), "persoon", letter) for x in said.finditer(text)]
        for m in _INITIAL_NAMED_RE.finditer(text):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-"):
                continue  # (not the end of a word)
            if m.group(1) == m.group(2)[0] and w.is_known_first_name(m.group(2)):
                label = re.compile(rf"(?m)(?:^[ \t]*|(?<=\s)){m.group(1)}\.(?=[ \t]*[:(])")
                out += [Span(x.start(), x.end(), "persoon", x.group()) for x in label.finditer(text)]
    return out


def capitalised_cued_names(w: Words, text: str) -> list[Span]:
    """Capitalised names that are also words, found by a cue: "Mei is mien buurvrouw", a name with its call name
    in brackets ("Wilhelmina (Willy)", "J. (roepnaam Jip)"), and a speaker whose label starts with the name's
    initial saying it ("JV: Ik ben Juni")."""
    out = []
    if " is " in text:
        for m in _IS_MY_RE.finditer(text):
            b = _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if b is None or b.end() != m.start() or b.group(1).endswith("."):
                continue
            word = b.group(1)
            if word.lower() not in _NOT_NAMES and not w.is_readable_name(word):  # (not "Nu is ...")
                out.append(Span(b.start(1), b.end(1), "persoon", word))
    if "(" in text:
        for m in _CALL_NAME_RE.finditer(text):
            b = _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if b is None:
                continue
            said = "roepnaam" in m.group()  # ("roepnaam Lies": a call name whatever the lists say)
            if (said or w.is_known_first_name(m.group(1))) and not w.is_readable_name(b.group(1)):
                out += [Span(*b.span(1), "persoon", b.group(1)), Span(*m.span(1), "persoon", m.group(1))]
    if "k ben" in text or "k heet" in text:
        for m in _LABEL_SAYS_NAME_RE.finditer(text):
            if m.group(2)[0] == m.group(1)[0] and not w.is_readable_name(m.group(2)):
                out.append(Span(m.start(2), m.end(2), "persoon", m.group(2)))
    return out


def cued_lower_names(w: Words, text: str, regions: list[tuple[int, int]]) -> list[Span]:
    """Lower-case names found by a cue of the module docstring in the lower-case lines `regions`."""
    out = []
    for a, b in regions:
        for m in _UNCLE_RE.finditer(text, a, b):  # (a place after a title is a name: "oma vink")
            word = m.group(1)
            if word not in _NOT_NAMES and not (w.is_common_word(word) and _VERB_END.search(word)):
                out.append(Span(m.start(1), m.end(1), "persoon", word))
        for regex in (_CALLED_RE, _POSSESSIVE_RE, _NAME_AGE_RE):
            for m in regex.finditer(text, a, b):
                word = m.group(1)
                if word not in _NOT_NAMES and not w.is_readable_name(word):
                    out.append(Span(m.start(1), m.end(1), "persoon", word))
    return out + _short_forms(w, text, regions)


def _short_forms(w: Words, text: str, regions: list[tuple[int, int]]) -> list[Span]:
    """A chat sender's name shortened to its first two or three letters at the end of a message to them
    ("wat is er ay" to Ayla)."""
    if not regions or ":" not in text:
        return []
    shorts = {n[:k].lower() for n in {m.group(1) for m in _SENDER_RE.finditer(text)} for k in (2, 3)}
    shorts -= _NOT_NAMES
    out = []
    for a, b in regions:
        for m in re.finditer(r"(?<![\w@'-])([a-zà-ÿ]{2,3})(?![\w@'-])", text[a:b]):
            s, e = a + m.start(1), a + m.end(1)
            if m.group(1) in shorts and _VOCATIVE_END.match(text, e) and not w.is_common_word(m.group(1)):
                out.append(Span(s, e, "persoon", m.group(1)))
    return out


def ordinary_use(text: str, start: int, end: int) -> bool:
    """Whether the lower-case word at text[start:end] is used as an ordinary word here ("het wiel", "in mei",
    "3 mei", "mei 2024")."""
    if _ORDINARY_BEFORE.search(text, max(0, start - 8), start):
        return True
    month = text[start:end] in _MONTHS
    return month and bool(_DAY_BEFORE.search(text, max(0, start - 4), start) or _NUMBER_AFTER.match(text, end))


def _whole(word: str) -> re.Pattern[str]:
    """Every whole-word mention of `word`."""
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
