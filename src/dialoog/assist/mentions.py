"""Initiatives and needs found directly in transcripts, named, linked to the registers or proposed as new.

Respondents' turns are read sentence by sentence (`dialoog.assist.inventory.from_transcripts` passes only
consented, pseudonymised transcripts; a name never carries a pseudonym such as "[persoon-3]"). Who asks
the questions is read from the speaker label ("Interviewer", "I", ...) or, when no label says so, from
who asks (the speaker most of whose turns are questions).

- an **initiative** is
  - a name: two or more capitalised words, also joined by "in", "van (de)", "met" ("Roze Zaterdag",
    "Roze in Blauw", "Week van de Lentekriebels"), not a place (the interview's own municipality or
    neighbourhood, or a name after "in", "bij", "naar" ... without an initiative word or a word such as
    "roze" or "pride" in it); or one capitalised compound on an initiative word ("Regenboogcompetitie");
  - an initiative word with what qualifies it: a compound on a word such as -avond, -café, -training,
    -bemiddeling, -kring, -groep, -lessen ("buurtbemiddeling", "ouderkring in Hengelo"; not a time such as
    "zaterdagavond", nor a "doelgroep"), a compound on "regenboog" ("regenboogloop"; the flag only when
    someone raised it), an acronym after "een" or "zo'n" ("een GSA"), a website ("Discriminatie.nl"), or such
    a word followed by "van/met/voor/over/bij ..." ("voorlichting van het COC", "groep voor moslims"); or
    by a name ("workshop LHBTI-sensitief werken");
  - a general initiative word ("voorlichting", "avond", "workshop") in a sentence that says someone
    organised or gave it: named by what follows ("avond voor trainers") or by who gave it
    ("Voorlichting (COC)").
  A sentence that voices a wish or a need names needs, not initiatives: only names (capitalised) count there.
  A name after "in" that is a municipality or province ends the name ("Pride | in Hengelo").
- a **need** is a sentence with a cue such as "nodig", "ik mis", "ontbreekt", "behoefte aan", "zou fijn
  zijn", "er moet", "zou moeten", "ik zou willen", "ik wil een", "geef ons" (not a question, not "nodig
  gehad" or "nodig ... uit"); after the interviewer asked what is needed (and through short follow-up
  questions such as "En verder?"), also the first sentence of the direct answer and every item of a list of
  wishes ("En een vaste training.", "Iets voor ouderen.", "Dat de wijkagent langskomt."). Its name is the
  phrase after the cue (`dialoog.assist.mentions_needs`).

Each finding gets a normalised name (articles and fillers dropped, first letter capitalised) and is
linked to a register entry whose name or alias it contains or matches closely (rapidfuzz); an alias that
is only a generic word ("training", "voorlichting", "panel") never links on its own. Findings without a
link are proposed as new entries, with the fragments (sentence spans) that mention them. How findings
are scored against gold lists: `dialoog.assist.mentions_score`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from dialoog.assist.mentions_needs import (
    DROP,
    OPENING,
    QUALIFIERS,
    STOP_AT,
    VERBS,
    _participle,
    _words,
    asked_turns,
    askers,
    need_in,
    normalise,
)
from dialoog.assist.pipeline import pipeline_for
from dialoog.assist.segments import Segment, parse, transcript_segments
from dialoog.study.gemeenten import all_gemeenten, slugify
from dialoog.study.transcripts import Transcript

#: Words that make something an initiative (also as the last part of a compound).
HEADS = (
    "avond", "middag", "ochtend", "café", "cafe", "project", "training", "workshop", "voorlichting", "cursus",
    "bijeenkomst", "spreekuur", "lotgenotengroep", "bemiddeling", "festival", "competitie", "loper", "salon",
    "platform", "campagne", "zebrapad", "inloop", "soos", "koor", "studiedag", "werkafspraak", "alliance",
    "gesprekken", "panel", "netwerk", "pride", "kring", "groep", "lessen", "gastles", "learning", "protocol",
    "ambassadeurs", "ambassadeur", "vertrouwenspersoon", "contactpersoon", "aanspreekpunt", "aanspreekpunten",
    "meldpunt", "dispuut", "wandelingen", "wandeling", "keurmerk", "leesclub", "mediation", "gastlessen",
    "scholing", "module", "lespakket", "discriminatiebureau", "discriminatievoorziening",
)  # fmt: skip
#: Initiative words that, standing alone, name an initiative when one of these words follows.
QUALIFIED_HEADS = {
    **dict.fromkeys(
        (
            "training",
            "voorlichting",
            "workshop",
            "cursus",
            "bijeenkomst",
            "project",
            "campagne",
            "spreekuur",
            "werkafspraak",
            "studiedag",
            "koffieochtend",
            "e-learning",
            "protocol",
            "lessen",
            "gastlessen",
            "gastles",
            "kring",
            "scholing",
            "module",
            "lespakket",
        ),
        ("van", "met", "voor", "over", "op", "in", "bij", "door"),
    ),  # fmt: skip
    **dict.fromkeys(("avond", "middag", "ochtend", "groep", "inloop"), ("voor", "over")),
    **dict.fromkeys(("vertrouwenspersoon", "aanspreekpunt"), ("van", "bij", "voor")),
    "meldpunt": ("discriminatie",),
}
#: Initiative words that name one alone (what they are is clear without a qualifier).
ALONE = frozenset({"buurtbemiddeling", "mediation", "leesclub"})
#: First parts that make a compound on an initiative word no initiative: times, audiences, kinds of group.
NOT_A_COMPOUND = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "gister", "van", "na", "voor",
    "doel", "risico", "leeftijd", "vrienden", "kennissen", "familie", "beroeps", "klas", "werk", "zomer", "winter",
    "oude", "hele",
)  # fmt: skip
#: After "regenboog": things, people and colours, not an initiative.
NOT_RAINBOW = (
    "bewoner",
    "jongeren",
    "ouderen",
    "mensen",
    "stel",
    "gezin",
    "gezinnen",
    "ouder",
    "ouders",
    "kind",
    "kinderen",
    "familie",
    "kleur",
)
#: Words that make a name after "in", "bij", "naar" ... an initiative rather than a place.
NAME_HINTS = ("roze", "regenboog", "pride", "queer", "lhbt", "coc", "gay", "trans", "paars")
#: First words of place names ("Den Haag", "Oude Pekela").
PLACE_START = frozenset({"Den", "Ter", "Ten", "Oude", "Nieuwe", "Sint", "Groot", "Klein", "Hoog", "Noord", "Zuid"})
#: Municipal buildings: a rainbow flag at one is the municipality's ("de regenboogvlag op het gemeentehuis").
TOWN_HALL = frozenset({"gemeentehuis", "stadhuis", "raadhuis", "gemeentekantoor"})
#: Words that open a sentence without being part of a name after them ("Daar", "Toen", "Ook").
OPENERS = frozenset(
    {"daar", "toen", "ook", "dan", "nu", "hier", "bij", "in", "op", "met", "voor", "na", "via", "van", "naar",
     "ja", "nee", "nou", "want", "omdat", "als", "wat", "wie", "waar", "hoe", "zo", "wel", "niet", "vroeger",
     "sinds", "tijdens", "volgens", "zonder", "over", "om", "tot", "uit", "door", "bijvoorbeeld", "misschien",
     "natuurlijk", "gelukkig", "helaas", "verder", "laatst", "vorig", "volgend", "elke", "iedere", "alle", "geen",
     "veel", "weinig", "soms", "vaak", "altijd", "nooit", "mijn", "onze", "jouw", "zijn", "haar", "hun", "deze",
     "die", "dat", "dit", "het", "de", "een", "ik", "wij", "we", "jij", "je", "hij", "zij", "ze", "u", "men",
     "er", "en", "maar", "of", "dus", "toch", "echt", "eigenlijk", "gewoon", "alleen", "meneer", "mevrouw"}
)  # fmt: skip
PLACE_BEFORE = frozenset({"in", "uit", "naar", "bij", "rond", "richting", "te", "vanuit", "langs", "tegenover"})
#: Verbs that say an initiative happened ("een avond georganiseerd", "voorlichting geven").
ACTIVITY = re.compile(
    r"\b(?:georganiseerd|organiseren|organiseert|organiseer|organiseerde|opgezet|gegeven|geven|geeft|gaf|"
    r"verzorgen|verzorgd|verzorgt|gehouden|houden|begonnen|gestart|gehad|gemaakt|aangeboden|gehesen|hijsen|"
    r"opgehangen|uitgehangen|hangt|hing|geweest)\b",
    re.IGNORECASE,
)
#: Initiative words too general to name or link an initiative on their own.
GENERIC = frozenset(
    {"training", "voorlichting", "project", "panel", "bijeenkomst", "cursus", "workshop", "netwerk", "dag",
     "week", "avond", "middag", "ochtend", "inloop", "gesprekken", "campagne", "platform", "groep", "pride",
     "kring", "lessen", "gastles", "gastlessen", "protocol", "meldpunt", "aanspreekpunt", "contactpersoon",
     "vertrouwenspersoon", "wandelingen", "keurmerk", "e-learning", "dispuut", "spreekuur", "scholing", "module",
     "lespakket"}
)  # fmt: skip
WISH = re.compile(r"\b(?:zou|zouden|moet er|er moet|wil graag|mis|nodig)\b", re.IGNORECASE)


@dataclass
class Finding:
    """An initiative or need found in a transcript, with the sentences that mention it."""

    kind: str  #: "initiatief" or "behoefte"
    name: str  #: normalised name
    fragments: list[tuple[str, int, int]] = field(default_factory=list)  #: (transcript, start, end)
    link: str = ""  #: id of the register entry it belongs to ("" when new)


_HEADS_LONGEST_FIRST = sorted(HEADS, key=len, reverse=True)


def _head(word: str) -> str | None:
    w = word.lower()
    return next((h for h in _HEADS_LONGEST_FIRST if w.endswith(h)), None)


def _compound(word: str, head: str) -> bool:
    """Whether `word` is a compound on `head` that names an initiative ("filmavond", not "zaterdagavond")."""
    first = word.lower()[: len(word) - len(head)].rstrip("-")
    return len(first) >= 3 and first not in NOT_A_COMPOUND and first.removesuffix("s") not in NOT_A_COMPOUND


def _rainbow(word: str) -> bool:
    """A compound on "regenboog" that names a thing done ("regenboogloop"), not the flag or a family."""
    rest = word.lower().removeprefix("regenboog").lstrip("-")
    return word.lower().startswith("regenboog") and len(rest) >= 4 and not rest.startswith(NOT_RAINBOW)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (word.isupper() and 2 <= len(word) <= 5)


def initiatives_in(sentence: str, places: Iterable[str] = (), names_only: bool | None = None) -> list[str]:
    """Normalised names of the initiatives a sentence mentions (see the module docstring). `places`: names
    that are places here (the municipality, the neighbourhood); `names_only`: only capitalised names count
    (by default when the sentence voices a wish)."""
    names_only = bool(WISH.search(sentence)) if names_only is None else names_only
    words = _words(sentence)
    activity = bool(ACTIVITY.search(sentence))
    org = next((w for w in words if w.isupper() and 2 <= len(w) <= 5 and w.isalpha()), "")
    found: list[str] = []
    i = 0
    while i < len(words):
        end, name = _initiative_at(words, i, names_only, activity, org)
        if name:
            found.append(name)
        i = max(end, i + 1)  # past a name, or past a place's name
    skip = {_key(p) for p in places if p}
    return [f for f in dict.fromkeys(found) if f and _key(f) not in GENERIC and _key(f) not in skip]


def _initiative_at(words: Sequence[str], i: int, names_only: bool, activity: bool, org: str) -> tuple[int, str]:
    """(end, name) of the initiative that starts at word `i`, or (i, "")."""
    w, lw = words[i], words[i].lower()
    end = _name_run(words, i)
    if end > i + 1:
        return end, (normalise(words[i:end]) if _not_a_place(words, i, end) else "")
    if _kind_of(words, i):  # "een GSA", "zo'n GSA": one of a kind of initiative
        return i + 1, w
    head = _head(w)
    if re.search(r"\w\.(?:nl|org|com|be|eu)$", lw):  # a website people are sent to
        return i + 1, w
    if end == i + 1 and (_rainbow(w) or (head and len(w) > 6 and (_compound(w, head) or lw in ALONE))):
        return i + 1, normalise(words[i : i + 1])
    if names_only or not (head or _rainbow(w)) or (w[:1].isupper() and i > 0):
        return i, ""
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    compound = _rainbow(w) or lw in ALONE or bool(head and _compound(w, head))
    if _rainbow(w) and "vlag" in lw:
        if TOWN_HALL & {x.lower() for x in words}:
            return i + 1, "Regenboogvlag bij het gemeentehuis"  # the municipality's flag, raised or hanging
        if not activity:
            return i, ""  # a flag is an initiative when someone raised it
    if compound or nxt in QUALIFIED_HEADS.get(lw, ()):
        end = i + 1
        if nxt in QUALIFIERS:
            end = _qualifier_end(words, i + 1)
        elif nxt in QUALIFIED_HEADS.get(lw, ()):
            end = i + 2
        if compound or end > i + 1:
            return end, normalise(words[i:end])
    if lw in QUALIFIED_HEADS and nxt and any(c.isupper() for c in words[i + 1]) and not nxt.startswith("["):
        return _named_end(words, i + 1), normalise(words[i : _named_end(words, i + 1)])
    if lw in QUALIFIED_HEADS and activity:
        end, name = _organised(words, i, org)
        if name or lw in GENERIC:
            return end, name
        return i + 1, normalise(words[i : i + 1])  # "een studiedag gehad"
    return i, ""


def _kind_of(words: Sequence[str], i: int) -> bool:
    """An acronym after "een" or "zo'n" (maybe with one word between): "een (actieve) GSA"."""
    w = words[i]
    if not (w.isupper() and 2 <= len(w) <= 5 and w.isalpha()):
        return False
    before = [x.lower() for x in words[max(0, i - 2) : i]]
    return bool(before) and (before[-1] in ("een", "zo'n") or (len(before) == 2 and before[0] in ("een", "zo'n")))


def _organised(words: Sequence[str], i: int, org: str) -> tuple[int, str]:
    """A general initiative word in a sentence that says it was organised: "een avond georganiseerd voor
    trainers" names "Avond voor trainers", "het COC gaf voorlichting" "Voorlichting (COC)"."""
    for k in range(i + 1, min(i + 5, len(words))):
        if words[k].lower() in STOP_AT:
            break
        if words[k].lower() in ("voor", "over"):
            end = _qualifier_end(words, k)
            if end > k:
                return end, normalise([words[i], *words[k:end]])
    return (i + 1, f"{normalise(words[i : i + 1])} ({org})") if org else (i, "")


def _named_end(words: Sequence[str], k: int, limit: int = 3) -> int:
    end = k
    while end < len(words) and end - k < limit and words[end].lower() not in STOP_AT and not _participle(words[end]):
        end += 1
    return end


def _name_run(words: Sequence[str], i: int) -> int:
    """The end of a run of capitalised words starting at `i` (inner "in", "van (de)", "met" allowed). At
    the start of a sentence, where every first word is capitalised, only when the next word is capitalised
    too and the first is no word that opens sentences ("Paarse Vrijdag doen ze ook", not "Daar Pride")."""
    if not _capitalised(words[i]) or words[i].startswith("["):
        return i
    first = not any(w[:1].isalnum() for w in words[:i])
    if first and (words[i].lower() in OPENERS or not _cap_at(words, i + 1)):
        return i  # the first word of a sentence is capitalised anyway
    j = i + 1
    while j < len(words):
        if _capitalised(words[j]) and not words[j].startswith("["):
            j += 1
        elif (
            words[j] in ("in", "van", "de", "voor", "and", "&", "met", "of")
            and _cap_at(words, j + 1)
            and not (words[j] == "in" and _is_place(words[j + 1]))
        ):
            j += 2
        elif (
            words[j] == "van" and j + 2 < len(words) and words[j + 1] in ("de", "het", "den") and _cap_at(words, j + 2)
        ):
            j += 3
        else:
            break
    return j


def _cap_at(words: Sequence[str], j: int) -> bool:
    """A capitalised word at `j` that can go on a name after "van", "in" ... (not an organisation's
    acronym: "Regenboogcompetitie | van de KNVB")."""
    return j < len(words) and _capitalised(words[j]) and not words[j].startswith("[") and not words[j].isupper()


#: Provinces and regions, which are places too.
REGIONS = frozenset(
    {"groningen", "friesland", "fryslan", "drenthe", "overijssel", "flevoland", "gelderland", "utrecht", "zeeland",
     "limburg", "noord-holland", "zuid-holland", "noord-brabant", "brabant", "twente", "randstad", "achterhoek"}
)  # fmt: skip


@cache
def _municipalities() -> frozenset[str]:
    return frozenset(slugify(re.sub(r"\s*\(.*?\)", "", g.name)) for g in all_gemeenten())  # "Hengelo (O.)"


def _is_place(word: str) -> bool:
    """Whether a capitalised word is a Dutch municipality or province ("Hengelo", "Gelderland")."""
    return slugify(word) in _municipalities() or slugify(word) in REGIONS


def _not_a_place(words: Sequence[str], i: int, end: int) -> bool:
    """Whether a name after "in", "bij", "naar" ... is more than a place: it has an initiative word or a
    word such as "roze" or "pride" in it."""
    if words[i] in PLACE_START:
        return any(_head(w) or any(h in w.lower() for h in NAME_HINTS) for w in words[i:end])
    before = [w.lower() for w in words[max(0, i - 2) : i]]
    after_place_word = bool(before) and (
        before[-1] in PLACE_BEFORE or (len(before) == 2 and before[0] in PLACE_BEFORE and before[1] in DROP)
    )
    if not after_place_word:
        return True
    return any(_head(w) or any(h in w.lower() for h in NAME_HINTS) for w in words[i:end])


def _qualifier_end(words: Sequence[str], k: int, limit: int = 4) -> int:
    end = k + 1
    while end < len(words) and end - k <= limit and not _ends_phrase(words[end]):
        end += 1
    return end if end > k + 1 else k


def _ends_phrase(word: str) -> bool:
    return word.lower() in STOP_AT or word.lower() in VERBS or _participle(word)


def _places(t: Transcript) -> list[str]:
    return [str(t.meta.get(k) or "") for k in ("gemeente", "wijk")]


def find(nlp, transcripts: Iterable[Transcript]) -> list[Finding]:
    """Initiatives and needs in the respondents' sentences of `transcripts`, merged by normalised name."""
    merged: dict[tuple[str, str], Finding] = {}
    for t, doc in parse(nlp, transcripts):
        asking = askers(t)
        asked, places = asked_turns(t, asking), _places(t)
        turn, n_in_turn = -1, 0
        for seg in transcript_segments(t, doc, with_lemmas=False):
            if seg.speaker in asking:
                continue
            n_in_turn = n_in_turn + 1 if seg.turn == turn else 1
            turn = seg.turn
            for kind, name in _findings(seg, asked.get(seg.turn, 0), n_in_turn, places):
                key = (kind, _key(name))
                finding = merged.setdefault(key, Finding(kind, name))
                finding.fragments.append((seg.transcript, seg.start, seg.end))
    return list(merged.values())


def _findings(seg: Segment, asked: int, n_in_turn: int, places: Sequence[str]) -> list[tuple[str, str]]:
    need = need_in(seg.text, asked == 2 and n_in_turn <= OPENING, listing=asked > 0)
    out = [("initiatief", name) for name in initiatives_in(seg.text, places, names_only=bool(need) or None)]
    if need:
        out.append(("behoefte", need))
    return out


def _key(name: str) -> str:
    return " ".join(w for w in _words(name.lower()) if w not in DROP and w not in "()")


def link(findings: Sequence[Finding], entries: Sequence[tuple[str, str, Sequence[str]]], kind: str) -> None:
    """Set `link` of each finding of `kind` to the id of the entry (id, name, aliases) it names."""
    for f in findings:
        if f.kind != kind:
            continue
        best, score = "", 0.0
        key = _key(f.name)
        for entry_id, name, aliases in entries:
            for label in [name, *aliases]:
                lab = _key(label)
                if not lab or (lab in GENERIC and label != name):
                    continue  # a generic alias never links on its own
                # a one-word name or alias must be what the finding is ("Buurtbemiddeling"), not a word in it
                # ("Wijknetwerk met de gemeente" is no "gemeente")
                # and a one-word finding is not every longer name that has that word in it
                # ("Buurtbemiddeling" is not "screening bij buurtbemiddeling")
                if key == lab:
                    s = 101.0
                elif len(lab.split()) > 1:
                    s = fuzz.token_set_ratio(key, lab) if len(key.split()) > 1 else 0.0
                else:
                    s = 100.0 if key.split()[:1] == [lab] else 0.0
                if s > score:
                    best, score = entry_id, s
        f.link = best if score >= 85 else ""


def study_findings(study, transcripts: Sequence[Transcript]) -> list[Finding]:
    return find(pipeline_for(study), transcripts)
