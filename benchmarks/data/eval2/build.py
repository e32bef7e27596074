"""Build the second evaluation study from the annotated interviews (run after editing annotated/*.txt).

Run: .venv/bin/python benchmarks/data/eval2/build.py

The annotated files are raw transcripts as a researcher might receive them (several speaker-label styles,
timestamps), with gold annotations in double brackets after a sentence::

    Ze riepen me na. [[INC MEL | ini=Naam van een initiatief | beh=een behoefte]]

The codes (abbreviated, see CODES) apply to the sentence before the marker; ``ini=`` names an initiative
and ``beh=`` a need mentioned in it (normalised names, the gold for the inventory). The first line,
``%% gemeente=... wijk=... respondent=... datum=...``, gives the interview's metadata.

Each file is imported with dialoog's own importer (markers stripped) into ``study/interviews/``; the gold
codes become ``study/codings/gold.csv`` and the gold initiatives and needs ``study/gold-inventory.yaml``.
Everything in it is fictional.
"""

from __future__ import annotations

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
REPO = HERE.parents[2]
STUDY = HERE / "study"
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


def parse_line(line: str) -> tuple[str, list[tuple[str, list[str], list[str], list[str]]]]:
    """The line without markers, and per marker: (sentence, codes, initiatives, needs)."""
    out = []
    clean, pos = "", 0
    for m in MARKER.finditer(line):
        piece = line[pos : m.start()]
        clean += piece
        sentence = re.split(r"(?<=[.!?])\s+", clean.strip())[-1]
        sentence = re.sub(r"^.*?:\s+", "", sentence) if not out and ":" in sentence[:40] else sentence
        parts = [p.strip() for p in m.group(1).split("|")]
        codes = [CODES[c] for c in parts[0].split()]
        inis = [p[4:].strip() for p in parts[1:] if p.startswith("ini=")]
        needs = [p[4:].strip() for p in parts[1:] if p.startswith("beh=")]
        out.append((sentence, codes, inis, needs))
        pos = m.end()
    clean += line[pos:]
    return clean, out


def build() -> None:
    if STUDY.exists():
        shutil.rmtree(STUDY)
    (STUDY / "codebook").mkdir(parents=True)
    shutil.copy(REPO / "codebook" / "codebook.yaml", STUDY / "codebook" / "codebook.yaml")
    gold_rows: list[tuple[str, str, list[str], list[str], list[str]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, src in enumerate(sorted((HERE / "annotated").glob("*.txt")), start=1):
            lines = src.read_text(encoding="utf-8").splitlines()
            meta = dict(kv.split("=", 1) for kv in lines[0].lstrip("% ").split(" ") if "=" in kv)
            meta = {k: v.replace("_", " ") for k, v in meta.items()}
            raw, marks = [], []
            for line in lines[1:]:
                clean, found = parse_line(line)
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
        "# Gold initiatives and needs of the second evaluation set (fictional), written by build.py\n"
        + yaml.safe_dump(inventory, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    problems = Study(STUDY).problems()
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    print(
        f"{len(study.transcripts)} transcripts, {len(rows)} gold codings, "
        f"{len(inventory['initiatieven'])} initiative and {len(inventory['behoeften'])} need mentions"
    )


if __name__ == "__main__":
    build()
