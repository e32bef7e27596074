"""Build an evaluation study from its annotated interviews (run after editing DIR/annotated/*.txt).

Run: .venv/bin/python benchmarks/data/build.py [DIR ...]   (default: every benchmarks/data/eval*/ with annotated/)

DIR is an evaluation set's folder (such as benchmarks/data/eval2); the study is written to DIR/study.

The annotated files are raw transcripts as a researcher might receive them (several speaker-label styles,
timestamps), with gold annotations in double brackets after a sentence::

    Ze riepen me na. [[INC MEL | ini=Naam van een initiatief | beh=een behoefte]]

The codes (abbreviated, see CODES) apply to the sentence before the marker; ``ini=`` names an initiative
and ``beh=`` a need mentioned in it (normalised names, the gold for the inventory). The first line,
``%% gemeente=... wijk=... respondent=... datum=...``, gives the interview's metadata.

Each file is imported with dialoog's own importer (markers stripped) into ``study/interviews/``; the gold
codes become ``study/codings/gold.csv`` and the gold initiatives and needs ``study/gold-inventory.yaml``.
Everything in it is fictional. Building a set twice gives the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml

from dialoog.ingest.text import build_meta, read_transcript, write_transcript
from dialoog.study import codings
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
CODES = {
    "V": "veiligheid",
    "INC": "incidenten",
    "ONV": "onveiligheidsgevoel",
    "MEL": "melden-aangifte",
    "SOC": "sociale-netwerken",
    "ZELF": "zelfredzaamheid",
    "ZA": "zichtbaarheid-acceptatie",
    "EV": "evaluatie",
    "WW": "wat-werkt",
    "WWN": "wat-werkt-niet",
    "VB": "vragen-behoeften",
    "SAM": "samenwerking-professionals",
    "INI": "initiatieven",
}
MARKER = re.compile(r"\s*\[\[(.*?)\]\]")


def parse_line(line: str, where: str = "") -> tuple[str, list[tuple[str, list[str], list[str], list[str]]]]:
    """The line without markers, and per marker: (sentence, codes, initiatives, needs)."""
    out = []
    clean, pos = "", 0
    for m in MARKER.finditer(line):
        piece = line[pos : m.start()]
        clean += piece
        sentence = re.split(r"(?<=[.!?])\s+", clean.strip())[-1]
        sentence = re.sub(r"^.*?:\s+", "", sentence) if not out and ":" in sentence[:40] else sentence
        parts = [p.strip() for p in m.group(1).split("|")]
        unknown = [c for c in parts[0].split() if c not in CODES]
        if unknown:
            raise SystemExit(
                f"{where}: unknown code abbreviation(s) {', '.join(unknown)}; use one of {', '.join(CODES)}"
            )
        codes = [CODES[c] for c in parts[0].split()]
        inis = [p[4:].strip() for p in parts[1:] if p.startswith("ini=")]
        needs = [p[4:].strip() for p in parts[1:] if p.startswith("beh=")]
        out.append((sentence, codes, inis, needs))
        pos = m.end()
    clean += line[pos:]
    return clean, out


def set_name(folder: Path) -> str:
    """How the gold file names the set: "second evaluation set" for eval2, else by its folder name."""
    m = re.fullmatch(r"eval(\d+)", folder.name)
    if m and int(m.group(1)) in ORDINALS:
        return f"{ORDINALS[int(m.group(1))]} evaluation set"
    return f"evaluation set {folder.name}"


def build(folder: Path) -> None:
    """Write `folder`/study from the annotated interviews in `folder`/annotated."""
    sources = sorted((folder / "annotated").glob("*.txt"))
    if not sources:
        raise SystemExit(f"{folder / 'annotated'}: no annotated interviews (*.txt) found")
    STUDY = folder / "study"
    if STUDY.exists():
        shutil.rmtree(STUDY)
    (STUDY / "codebook").mkdir(parents=True)
    shutil.copy(REPO / "codebook" / "codebook.yaml", STUDY / "codebook" / "codebook.yaml")
    gold_rows: list[tuple[str, str, list[str], list[str], list[str]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, src in enumerate(sources, start=1):
            lines = src.read_text(encoding="utf-8").splitlines()
            if not lines or not lines[0].startswith("%%"):
                raise SystemExit(f"{src}:1: the first line must be '%% gemeente=... wijk=... respondent=... datum=...'")
            meta = dict(kv.split("=", 1) for kv in lines[0].lstrip("% ").split(" ") if "=" in kv)
            meta = {k: v.replace("_", " ") for k, v in meta.items()}
            raw, marks = [], []
            for number, line in enumerate(lines[1:], start=2):
                clean, found = parse_line(line, f"{src}:{number}")
                raw.append(clean)
                marks.extend(found)
            raw_path = Path(tmp) / src.name
            raw_path.write_text("\n".join(raw) + "\n", encoding="utf-8")
            gemeente = find_gemeente(meta["gemeente"])
            tid = f"{gemeente.slug}-{n:02d}"
            m = build_meta(
                tid,
                gemeente,
                wijk=meta.get("wijk"),
                datum=dt.date.fromisoformat(meta["datum"]),
                interviewer="Onderzoeker 2",
                respondent=meta["respondent"],
                consent=True,
            )
            m["pseudonymised"] = True
            m["fictional"] = True
            write_transcript(STUDY / "interviews", gemeente, read_transcript(raw_path), m)
            gold_rows.extend((tid, *mark) for mark in marks)
    study = Study(STUDY)
    rows, inventory, cursor = [], {"initiatieven": [], "behoeften": []}, {}
    for tid, sentence, codes, inis, needs in gold_rows:
        t = study.transcripts[tid]
        start = t.body.find(sentence, cursor.get(tid, 0))
        if start < 0:
            raise SystemExit(f"{tid}: sentence not found: {sentence!r}")
        end = start + len(sentence)
        cursor[tid] = start
        for code in codes:  # a fixed timestamp: building twice gives the same file
            rows.append(replace(codings.make(t, start, end, code, "gold", ""), timestamp="2026-06-15T12:00:00+02:00"))
        for kind, names in (("initiatieven", inis), ("behoeften", needs)):
            for name in names:
                inventory[kind].append({"transcript": tid, "naam": name, "fragment": f"{tid}:{start}-{end}"})
    codings.write(STUDY / "codings" / "gold.csv", rows)
    (STUDY / "gold-inventory.yaml").write_text(
        f"# Gold initiatives and needs of the {set_name(folder)} (fictional), written by build.py\n"
        + yaml.safe_dump(inventory, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    problems = Study(STUDY).problems()
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    print(
        f"{folder.name}: {len(study.transcripts)} transcripts, {len(rows)} gold codings, "
        f"{len(inventory['initiatieven'])} initiative and {len(inventory['behoeften'])} need mentions"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path, help="evaluation set folders (with annotated/)")
    args = ap.parse_args()
    folders = args.folders or sorted(p.parent for p in HERE.glob("eval*/annotated") if p.is_dir())
    for folder in folders:
        build(folder.resolve())


if __name__ == "__main__":
    main()
