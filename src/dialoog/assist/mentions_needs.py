"""Needs voiced in transcripts, and the word handling that names initiatives and needs alike
(`dialoog.assist.mentions` finds both; see its docstring for the rules).

A need is a respondent's sentence with a cue ("nodig", "ik mis", "zou fijn zijn", "er moet", "ik wil een",
"geef ons"; not a question, not "nodig gehad" or "nodig ... uit"), or, after the interviewer asked what is
needed, the opening sentence of the answer and every item of a list of wishes ("En een vaste training.").
Who asks is read from the speaker label, else from who asks the questions (`askers`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from dialoog.assist.pipeline import is_interviewer, lemma_of
from dialoog.study.transcripts import Transcript

INTERJECTIONS = frozenset(
    {"sorry", "nee", "ja", "nou", "eh", "ehm", "uh", "uhm", "hm", "tja", "goh", "hoor", "oké", "niet", "ach"}
)
#: Pronouns and auxiliary verbs: they open no need's name and end one ("ze | ...", "plek | was in Ede").
PRONOUNS = frozenset(
    {"ze", "je", "hij", "zij", "u", "men", "jij", "jullie", "wij", "we", "ik", "mij", "me", "zoiets", "het", "die",
     "nu", "toen", "zo", "niks", "niets"}
)  # fmt: skip
AUXILIARIES = frozenset(
    {"moet", "kan", "wil", "zou", "zouden", "heb", "heeft", "ben", "wordt", "komt", "kwam", "doet", "maakt", "hoeft",
     "mag", "kon", "wist", "weet", "denk", "vind", "vond"}
)  # fmt: skip
#: Words a need's name cannot consist of alone, though one may open with them ("Iemand bij de gemeente").
VAGUE = frozenset({"iemand", "iets", "ding", "dingen", "mensen", "één", "eén", "twee", "drie", "kopje"})
#: Words a need's name cannot consist of alone (verbs and adverbs around the cue).
NOT_A_NEED = frozenset(
    {"moeten", "komen", "schelen", "helpen", "hebben", "zijn", "worden", "doen", "hier", "daar", "ook", "zoveel",
     "veel", "heel", "al", "echt", "enorm", "wel", "iets", "dat", "dit", "en", "hen", "samen", "willen", "graag",
     "kunnen", "mogen", "krijgen", "vinden", "fijn", "mooi", "goed", "als", "er", "eens", "keer", "gewoon"}
)  # fmt: skip

QUALIFIERS = ("van", "met", "voor", "over", "op", "in", "bij", "door")

DROP = frozenset(
    {"de", "het", "een", "die", "dat", "deze", "dit", "zo'n", "onze", "ons", "hun", "mijn", "jullie", "zijn",
     "haar", "meer", "echt", "gewoon", "eigenlijk", "ook", "wel", "nog", "al", "dan", "er", "we", "wij", "ik",
     "en", "maar", "dus"}
)  # fmt: skip

ARTICLES = frozenset({"een", "meer", "geen", "extra", "betere", "vaste", "vast", "iets"})
PREPOSITIONS = frozenset({"aan", "naar", "op", "in", "met", "voor", "bij", "van", "over", "door", "uit", "om", "tot"})
#: Dropped at the end of a name ("aanspreekpunt bij de gemeente | of").
TRAILING = DROP | PREPOSITIONS | frozenset({"of", "zoals", "te", "als", "niet", "alleen"})
#: Dropped at the start of a name only: "wat ik mis is een plek" names "Plek".
COPULAS = frozenset({"is", "was", "waren", "blijft", "wordt"})

NEED_CUES = re.compile(
    r"\b(?:nodig|ik mis|we missen|wij missen|mis ik|ontbreekt|ontbreken|behoefte aan|"
    r"zou(?:den)? (?:\w+ ){0,4}?(?:fijn|mooi|goed|helpen|schelen|betekenen|beter|genoeg|handig|prettig)|het zou fijn|"
    r"graag (?:hebben|zien)|moet (?:verplicht|beter|anders) worden|zorg (?:dat|voor)|"
    r"fijn (?:ge)?vinden als|er moet|moet er|er zou|zou moeten|zouden moeten|moeten (?:\w+ )?komen|"
    r"ik zou (?:graag |willen)|zou ik (?:graag|willen)|wat ik zou willen|(?:ik|wij|we) wil(?:len)? (?:graag |gewoon )?"
    r"(?:een|meer|dat|één|informatie|de)|had (?:\w+ ){0,3}willen|geef (?:ons|ze|hen|de)|wens|wat zou helpen|"
    r"dat zou)\b",
    re.IGNORECASE,
)

#: Cue words that are no need here: "nodig gehad" (past), "nodig ... uit" (invite).
NOT_NEEDED = re.compile(r"\bnodig (?:gehad|had)\b|\bnodig\b.*\buit\b|\bnodigt?\b.*\buit\b", re.IGNORECASE)

#: An interviewer's question after needs ("Wat zou helpen?", "Wat zou u willen?").
ASKED = re.compile(
    r"\b(?:wat zou|wat (?:heb|hebt|hebben|heeft|is)\b.{0,25}\bnodig|nodig|wensen|wens|wat mis|"
    r"wat (?:kan|kunnen|moet|moeten)\b.{0,40}\b(?:beter|doen|veranderen)|verbeter|voor het zeggen|toverstaf|"
    r"wat wil(?:t|len)?\b.{0,30}\b(?:zien|hebben))",
    re.IGNORECASE,
)

#: An interviewer's follow-up that keeps asking for needs ("En verder?", "Nog iets?").
FOLLOW_UP = re.compile(r"\b(?:nog|verder|meer|anders|ook|bijvoorbeeld)\b", re.IGNORECASE)

#: How an item in a list of wishes opens ("En een ...", "Iets voor ...", "Dat de ...").
LIST_ITEM = re.compile(
    r"^(?:en |of |ook |maar )?(?:een|iets|meer|minder|betere?|vaste?|structurele?|structureel|één|dat|geld|"
    r"tijd|uren|ruimte|aandacht|informatie|voorlichting|training|scholing)\b",
    re.IGNORECASE,
)

WORD = re.compile(r"\[[\w-]+\]|\w[\w'’+.-]*\w\+?|\w\+?|[^\w\s]")

STOP_AT = frozenset(
    {",", ".", "!", "?", ";", ":", "zodat", "want", "maar", "en", "dat", "waar", "die", "omdat", "als", "(", ")"}
)


#: Finite verbs that end what qualifies an initiative word ("aanspreekpunt bij de gemeente | komt").
VERBS = frozenset(
    {"is", "was", "zijn", "waren", "heeft", "hebben", "had", "komt", "komen", "kwam", "wordt", "worden", "kan",
     "kunnen", "moet", "moeten", "gaat", "gaan", "ging", "doet", "doen", "zit", "zat", "staat", "hangt", "loopt"}
)  # fmt: skip


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def normalise(words: Sequence[str]) -> str:
    """A name from words: pseudonyms ("[persoon-3]"), leading articles and fillers dropped, capitalised."""
    kept = [w for w in words if not w.startswith("[")]
    while kept and (kept[0].lower() in DROP or kept[0].lower() in COPULAS or not kept[0][:1].isalnum()):
        kept.pop(0)
    while kept and (kept[-1].lower() in TRAILING or not kept[-1][-1:].isalnum()):
        kept.pop()
    name = " ".join(kept)
    return name[:1].upper() + name[1:]


def _participle(word: str) -> bool:
    """A past participle ("gehad", "gegeven"), not a plural noun on ge- ("gezinnen", "gemeenten")."""
    w = word.lower()
    if len(w) < 5 or not w.startswith("ge"):
        return False
    if w.endswith("en"):
        return w[-3] != w[-4] and not w.endswith(("ten", "wen", "ingen"))
    return w.endswith(("d", "t"))


def _phrase(words: Sequence[str], limit: int = 7) -> str:
    phrase: list[str] = []
    for w in words:
        lw = w.lower()
        if lw in STOP_AT or len(phrase) >= limit or _participle(w) or (phrase and _verb(lw)):
            break
        phrase.append(w)
    while phrase and (phrase[-1].lower() in NOT_A_NEED or phrase[-1].lower() in QUALIFIERS):
        phrase.pop()
    name = normalise(phrase)
    first = name.split()[0].lower() if name else ""
    if first in INTERJECTIONS | PRONOUNS | AUXILIARIES | PREPOSITIONS or (len(first) > 3 and _verb(first)):
        return ""  # no need is named by a verb ("Proberen", "Klinkt") or opens with a preposition
    vague = NOT_A_NEED | DROP | VAGUE | PRONOUNS | AUXILIARIES
    return name if any(w.lower() not in vague and len(w) > 2 for w in _words(name)) else ""


def _verb(word: str) -> bool:
    """A finite verb, an auxiliary or an infinitive ("kwam", "willen"), by the lemma (not "jongeren")."""
    if word in VERBS or word in AUXILIARIES:
        return True
    lemma = lemma_of(word)  # an infinitive ("proberen") or a present tense on -t ("klinkt"), not "kaart"
    return (len(word) > 3 and word.endswith("en") and lemma == word) or (
        word.endswith("t") and lemma == word[:-1] + "en"
    )


def _clause(words: Sequence[str], limit: int = 10) -> str:
    """A wish said as a clause, named by it: "(En) dat ze aan de ouderen denken" → "Dat ze aan de ouderen
    denken"; not "Dat zou ..." or "Dat moet ..." (there "dat" points back)."""
    k = 1 if words[:1] and words[0].lower() in ("en", "of", "maar") else 0
    if len(words) < k + 3 or words[k].lower() != "dat" or _verb(words[k + 1].lower()):
        return ""
    clause = ["Dat"]
    for w in words[k + 1 :]:
        if w in ",.!?;:" or len(clause) >= limit or w.lower() in ("zodat", "want", "omdat", "maar"):
            break
        clause.append(w)
    clause = [w for w in clause if not w.startswith("[")]
    while clause and clause[-1].lower() in TRAILING:
        clause.pop()
    return " ".join(clause) if len(clause) >= 3 else ""


def _opening(words: Sequence[str]) -> list[str]:
    """`words` without the conjunctions, fillers and verbs that open a phrase ("en een ...", "zijn als er ...")."""
    k = 0
    skip = DROP | NOT_A_NEED | PRONOUNS | AUXILIARIES | INTERJECTIONS
    while k < len(words) and (words[k].lower() in skip or words[k] in ",:"):
        k += 1
    return list(words[k:])


#: Needs said as what is lacking, with the name they get: not knowing where to turn, nothing nearby.
IMPLICIT = (
    (
        re.compile(
            r"\b(?:weet|wist|weten) (?:ik|je|ze|we|hij|zij) (?:\w+ )?(?:niet|nooit) (?:goed )?"
            r"(?:wie|waar|bij wie|waarheen)\b|"
            r"\b(?:weet|weten|wist) (?:\w+ )?niet (?:goed )?(?:wie|waar)\b|\bgeen idee (?:waar|wie|dat)\b",
            re.IGNORECASE,
        ),
        "Weten waar je terechtkunt",
    ),
    (
        re.compile(r"\b(?:er is|is er)(?: \w+){0,4} (?:niks|niets)(?:,? hoor)?\s*[.!]?$", re.IGNORECASE),
        "Iets in de buurt",
    ),
)


def need_in(sentence: str, asked: bool = False, listing: bool = False) -> str | None:
    """The normalised name of the need a sentence voices, or None. With `asked` (the interviewer just
    asked what is needed), a sentence without a cue names a need too: its opening phrase; with `listing`
    (an answer to that question), a sentence that opens like an item of a list of wishes does."""
    text = sentence.strip()
    if text.endswith("?"):
        return None
    m = NEED_CUES.search(text)
    if m and m.group(0).lower() == "nodig" and NOT_NEEDED.search(text):
        m = None
    words = _words(text)
    if words and words[0].lower() in INTERJECTIONS:
        return None
    if not m:
        implicit = next((name for cue, name in IMPLICIT if cue.search(text)), None)
        if implicit:
            return implicit
        if not (asked or (listing and LIST_ITEM.match(text))):
            return None
        return _clause(words) or _phrase(_opening(words)) or _article_phrase(words) or None
    after = _words(text[m.end() :])
    name = _clause(after) or _phrase(_opening(after))
    if not name:  # "Een plek, dat is nodig": the phrase stands before the cue
        name = _phrase([w for w in _opening(_words(text[: m.start()])) if w not in ",.!?"])
    return name or _article_phrase(words) or None


def _article_phrase(words: Sequence[str]) -> str:
    """The first phrase after "een", "meer" or "geen" that names something ("... helpen als | een
    vrijwilliger langskomt" names "Vrijwilliger")."""
    for k, w in enumerate(words):
        if w.lower() in ARTICLES:
            name = _phrase(words[k:] if w.lower() == "iets" else words[k + 1 :])
            if name:
                return name
    return ""


def askers(t: Transcript) -> set[str]:
    """The speakers who ask the questions: by label, else the one most of whose (3 or more) turns ask."""
    named = {turn.speaker for turn in t.turns if is_interviewer(turn.speaker)}
    if named:
        return named
    turns, asks = (
        Counter(turn.speaker for turn in t.turns),
        Counter(turn.speaker for turn in t.turns if "?" in turn.text),
    )
    if len(turns) < 2:
        return set()
    best = max(turns, key=lambda s: (asks[s] / turns[s], turns[s]))
    return {best} if turns[best] >= 3 and asks[best] / turns[best] >= 0.5 else set()


def asked_turns(t: Transcript, askers: set[str]) -> dict[int, int]:
    """For each answering turn: 2 when it answers a question after needs directly, 1 when it answers a
    short follow-up to one ("En verder?") or goes on answering, else 0."""
    state, out = 0, {}
    for turn in t.turns:
        if turn.speaker in askers:
            short = len(_words(turn.text)) <= 8
            follow = state and short and (FOLLOW_UP.search(turn.text) or "?" not in turn.text)
            state = 2 if ASKED.search(turn.text) else (1 if follow else 0)
        else:
            out[turn.index] = state
            state = min(state, 1)
    return out


#: How many opening sentences of a direct answer to a question after needs name a need without a cue.
OPENING = 1
