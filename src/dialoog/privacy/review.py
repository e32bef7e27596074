"""Review of pseudonymised transcripts: what may still identify someone, and carrying out the researcher's marks.

`review` lists what remains suspicious in a text: personal data the detector finds now (ages, names, ...) and
capitalised words in no dictionary or list, and number sequences. Ordinary words, places, organisations and
the vocabulary of the study itself (LHBT's, LHBT-zaken, queer, ...) are not listed.

`dialoog pseudonymise --review` writes the items to a review file in ``private/`` (git-ignored, mode 0600:
it quotes transcript text). The researcher marks each item ``mask`` or ``keep``; `apply_review` (``dialoog
pseudonymise --apply-review``) then replaces masked items in that transcript by their placeholder (a person
gets a pseudonym from the key, which is saved), shifts the offsets of codings and suggestions after each
replacement, records the new body hash, and remembers kept items so that they are not listed again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from dialoog.errors import DialoogError, ValidationError
from dialoog.fileio import atomic_write_text, locked
from dialoog.privacy.integrity import KEPT_FILE, kept_items  # noqa: F401 - KEPT_FILE is part of this API
from dialoog.privacy.key import PseudonymKey, _strip_possessive, write_secret
from dialoog.privacy.lexicon import LABELS, PLACEHOLDER_RE
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript, body_hash
from dialoog.study.yamlload import line_of, load_yaml

REVIEW_FILE = Path("private") / "review.yaml"
ACTIONS = ("mask", "keep")
OFFSET_FOLDERS = ("codings", "consensus", "suggestions")


@dataclass(frozen=True)
class Suspicion:
    start: int
    end: int
    text: str
    reason: str
    label: str = "persoon"


_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBERS_RE = re.compile(r"(?<![\w\[-])\d(?:[\s./-]?\d){3,}(?![\w\]])")
#: The study's own vocabulary, never a reason for review ("LHBT's", "LHBTI+-jongeren", "Queer").
_VOCABULARY_RE = re.compile(
    r"^(?:LHBT\w*|LGBT\w*|LHBTIQ\w*|Queer\w*|Trans\w*|Bi|Bi\+|Pride\w*|Regenboog\w*|Roze\w*|COC\w*|GSA\w*|"
    r"Coming-out\w*|Non-binair\w*|Intersekse\w*|Homo\w*|Lesbi\w*|Hetero\w*)(?:['’]s|s)?(?:[-+]\w*)*$",
    re.IGNORECASE,
)


_PLACE_WORD_RE = re.compile(
    r"(?:markt|park|plein|wijk|buurt|straat|laan|weg|dijk|haven|kade|gracht|singel|veld|dorp|polder|bos|meer)$"
)


def _is_ordinary(det, word: str) -> bool:  # noqa: ANN001
    """An ordinary word: in a dictionary (also when capitalised), a compound of ordinary parts, study
    vocabulary, a street, square or neighbourhood word, or an adjective of a place ("Schiedams")."""
    from wordfreq import zipf_frequency

    word = _strip_possessive(word)
    if _VOCABULARY_RE.match(word) or det.is_common_word(word) or zipf_frequency(word.casefold(), "nl") >= 3.0:
        return True
    if _PLACE_WORD_RE.search(word.casefold()):
        return True
    if any(word[: -len(end)] in det.gazetteer.places for end in ("s", "se", "er", "ers", "e") if word.endswith(end)):
        return True
    parts = [p for p in re.split(r"[-+]", word) if p]
    return len(parts) > 1 and all(_is_ordinary(det, p) for p in parts)


def review(text: str, lists=None, known_names: Iterable[str] = ()) -> list[Suspicion]:  # noqa: ANN001
    """What remains suspicious in (pseudonymised) text: personal data the detector finds, capitalised words
    in no dictionary or list that do not start a sentence, and sequences of three or more digits (not years)."""
    from dialoog.privacy import detect as ps

    det = ps.detector(lists)
    found = ps.find_personal_data(text, lists, known_names)
    out = [Suspicion(s.start, s.end, s.text, f"looks like {s.label}", s.label) for s in found]
    holders = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    skip = holders + det.readable_spans(text) + [(s.start, s.end) for s in found]

    def covered(s: int, e: int) -> bool:
        return any(a <= s and e <= b or a < e and s < b for a, b in skip)

    for m in _WORD_RE.finditer(text):
        word = m.group()
        if not word[0].isupper() or covered(*m.span()):
            continue
        before = text[: m.start()].rstrip()
        if not before or before[-1] in '.!?:"“(' or before.endswith("**"):
            continue
        if not _is_ordinary(det, word):
            out.append(Suspicion(m.start(), m.end(), word, "capitalised word in no dictionary or list"))
    for m in _NUMBERS_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 4 and digits[:2] in ("19", "20") or covered(*m.span()):
            continue
        out.append(Suspicion(m.start(), m.end(), m.group(), "number sequence", "nummer"))
    return sorted(out, key=lambda s: s.start)


# -- the review file ---------------------------------------------------------------------------------------


def review_study(study: Study, ids: list[str] | None = None) -> list[tuple[str, list[tuple[int, Suspicion]]]]:
    """Per transcript, (turn index, Suspicion) for what still looks identifying (kept items left out)."""
    from dialoog.privacy import detect as ps
    from dialoog.privacy.pseudonymise import KEY_FILE

    lists = ps.lists_for_study(study)
    key_file = study.root / KEY_FILE
    known = PseudonymKey.load(key_file).known_names() if key_file.is_file() else set()
    kept = kept_items(study)
    out = []
    for tid, t in sorted(study.transcripts.items()):
        if ids and tid not in ids:
            continue
        items = [
            (turn.index, s)
            for turn in t.turns
            for s in review(turn.text, lists, known)
            if (tid, s.text) not in kept and ("*", s.text) not in kept
        ]
        out.append((tid, items))
    return out


def write_review_file(study: Study, found: list[tuple[str, list[tuple[int, Suspicion]]]]) -> Path:
    """Write the review file (mode 0600) for the researcher to mark; returns its path."""
    items = [
        {"transcript": tid, "turn": turn + 1, "text": s.text, "reason": s.reason, "label": s.label, "action": ""}
        for tid, pairs in found
        for turn, s in pairs
    ]
    header = (
        "# dialoog review: what may still identify someone in the pseudonymised transcripts. Personal data!\n"
        "# For each item set `action` to `mask` (replace it everywhere in that transcript) or `keep` (leave it\n"
        f"# and do not list it again); `label` is the placeholder for a mask ({', '.join(LABELS)}).\n"
        "# Then run: dialoog pseudonymise --apply-review\n"
    )
    from dialoog.privacy.pseudonymise import prepare_private_dir

    prepare_private_dir(study)
    path = study.root / REVIEW_FILE
    write_secret(path, header + yaml.safe_dump({"items": items}, allow_unicode=True, sort_keys=False, width=120))
    return path


def _read_review_file(study: Study, path: Path) -> list[dict]:
    if not path.is_file():
        raise DialoogError("there is no review file", path=path, hint="run 'dialoog pseudonymise --review' first")
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DialoogError("expected a list 'items'", path=path, line=1, key="items")
    problems = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item.get("text"):
            problems.append(DialoogError("an item needs transcript, text and action", path=path, key="items"))
            continue
        line = line_of(item, "action")
        if item.get("action") not in (*ACTIONS, "", None):
            problems.append(DialoogError("action must be mask, keep or empty", path=path, line=line, key="action"))
        if item.get("action") == "mask" and item.get("label", "persoon") not in LABELS:
            problems.append(DialoogError("unknown label", path=path, line=line, key="label", hint=", ".join(LABELS)))
        if item.get("transcript") not in study.transcripts:
            problems.append(DialoogError("unknown transcript id", path=path, line=line, key="transcript"))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)
    return items


# -- carrying out the marks -------------------------------------------------------------------------------


def _replacements(t: Transcript, masks: list[dict], key: PseudonymKey) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) in the body for every whole-word occurrence of each masked text."""
    edits: list[tuple[int, int, str]] = []
    for item in sorted(masks, key=lambda i: -len(i["text"])):
        text, label = item["text"], item.get("label") or "persoon"
        pattern = re.compile(rf"(?<![\w@\[]){re.escape(text)}(?![\w@\]])")
        # a name is masked in the whole transcript; anything else only in the turn where it was found
        turns = (
            t.turns
            if label == "persoon" or not isinstance(item.get("turn"), int)
            else t.turns[item["turn"] - 1 : item["turn"]]
        )
        for turn in turns:
            for m in pattern.finditer(t.body, turn.start, turn.end):
                if any(s < m.end() and m.start() < e for s, e, _ in edits):
                    continue
                holder = key.person(text, t.id) if label == "persoon" else LABELS[label]
                edits.append((m.start(), m.end(), holder))
    return sorted(edits)


def _map(pos: int, edits: list[tuple[int, int, str]], *, is_end: bool) -> int:
    shift = 0
    for s, e, holder in edits:
        if e <= pos:
            shift += len(holder) - (e - s)
        elif s < pos < e:  # inside a replaced piece: its start, or (for an end) the end of the placeholder
            return s + shift + (len(holder) if is_end else 0)
        else:
            break
    return pos + shift


def shift(start: int, end: int, edits: list[tuple[int, int, str]]) -> tuple[int, int]:
    """New offsets of [start, end) after the body `edits` (sorted, not overlapping)."""
    return _map(start, edits, is_end=False), _map(end, edits, is_end=True)


def _shift_offset_files(study: Study, tid: str, edits: list[tuple[int, int, str]], body: str) -> int:
    """Shift start/end (and the copied text) of every row of `tid` in codings, consensus and suggestions."""
    changed = 0
    paths = [p for folder in OFFSET_FOLDERS for p in sorted((study.root / folder).glob("*.csv"))]
    with locked(paths):
        for path in paths:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            if not rows or rows[0][:4] != ["transcript", "start", "end", "text"]:
                continue
            hit = False
            for row in rows[1:]:
                if len(row) >= 4 and row[0] == tid and row[1].isdigit() and row[2].isdigit():
                    s, e = shift(int(row[1]), int(row[2]), edits)
                    row[1], row[2], row[3] = str(s), str(e), body[s:e]
                    hit = True
            if hit:
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerows(rows)
                atomic_write_text(path, buf.getvalue())
                changed += 1
    return changed + _shift_fragment_links(study, tid, edits)


def _shift_fragment_links(study: Study, tid: str, edits: list[tuple[int, int, str]]) -> int:
    """Shift the fragment links ``<id>:<start>-<end>`` of `tid` in the inventory registers (``inventaris/``)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(tid)}:(\d+)-(\d+)")
    changed = 0
    paths = sorted((study.root / "inventaris").glob("*/*.yaml"))
    with locked(paths):
        for path in paths:
            text = path.read_text(encoding="utf-8")

            def moved(m: re.Match[str]) -> str:
                s, e = shift(int(m.group(1)), int(m.group(2)), edits)
                return f"{tid}:{s}-{e}"

            new = pattern.sub(moved, text)
            if new != text:
                atomic_write_text(path, new)
                changed += 1
    return changed


@dataclass
class Applied:
    masked: int = 0
    kept: int = 0
    transcripts: int = 0
    offset_files: int = 0


def apply_review(study: Study, key: Path | None = None) -> Applied:
    """Carry out the marks of the review file on the (already pseudonymised) transcripts; update the key."""
    from dialoog.privacy.integrity import write_meta
    from dialoog.privacy.pseudonymise import key_path

    path = study.root / REVIEW_FILE
    items = _read_review_file(study, path)
    result = Applied()
    pkey = PseudonymKey.load(key_path(study, key))
    by_tid: dict[str, list[dict]] = {}
    for item in items:
        if item.get("action") == "mask":
            by_tid.setdefault(item["transcript"], []).append(item)
    for tid, masks in sorted(by_tid.items()):
        t = study.transcripts[tid]
        edits = _replacements(t, masks, pkey)
        if not edits:
            continue
        body = t.body
        for s, e, holder in reversed(edits):
            body = body[:s] + holder + body[e:]
        pkey.save()  # the key first, as in pseudonymise
        new = Transcript(t.path, dict(t.meta), body, t.turns)
        write_meta(new, {**t.meta, "pseudonymised": True, "checked": body_hash(body)})
        result.offset_files += _shift_offset_files(study, tid, edits, body)
        result.masked += len(edits)
        result.transcripts += 1
    kept = sorted(kept_items(study) | {(i["transcript"], i["text"]) for i in items if i.get("action") == "keep"})
    result.kept = sum(1 for i in items if i.get("action") == "keep")
    if result.kept:
        data = {"kept": [{"transcript": tid, "text": text} for tid, text in kept]}
        write_secret(study.root / KEPT_FILE, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    rest = [dict(i) for i in items if i.get("action") not in ACTIONS]
    header = path.read_text(encoding="utf-8").split("\nitems:")[0] + "\n"
    write_secret(path, header + yaml.safe_dump({"items": rest}, allow_unicode=True, sort_keys=False, width=120))
    return result
