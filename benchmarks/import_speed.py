"""Import speed and peak memory per MB of input: .txt, .docx, .pdf and .qdpx (issue 14).

Run: .venv/bin/python benchmarks/import_speed.py [--txt-mb 30] [--docx-mb 4] [--pdf-mb 0.3] [--qdpx-mb 8]

Each import runs in a fresh Python process; its memory is the rise of the resident memory (sampled
every 2 ms from /proc) over what the process had after importing the modules. The reference, in the
same run: a process that reads the file's bytes and splits the text into lines (speed and memory).
The input is fictional, built here: a Dutch interview with labels and emoji. Target: peak memory
under 50 MB per MB of input.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

WORDS = (
    "de het een wijk buurt veilig thuis buren wijkagent melding straat avond fiets 😀 🏳️‍🌈 zeggen "
    "eigenlijk gewoon soms niet wel heel echt samen praten jongeren school werk huis"
).split()

CHILD = r"""
import json, os, sys, threading, time
from pathlib import Path
PAGE = os.sysconf("SC_PAGE_SIZE")
def rss_kb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE // 1024
mode, path, study = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from dialoog.ingest import refi, text
from dialoog.study.folder import Study
import gc; gc.collect()
base_kb = rss_kb()
peak = [base_kb]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_kb())
        time.sleep(0.002)
threading.Thread(target=sample, daemon=True).start()
t0 = time.perf_counter()
if mode == "reference":
    data = path.read_bytes()
    lines = data.decode("utf-8", "replace").split("\n") if path.suffix == ".txt" else []
    out = len(lines)
elif mode == "qdpx":
    plan = refi.plan_project(Study(study), path, "Schiedam")
    out = len(plan.codings)
else:
    out = len(text.read_transcript(path).turns)
seconds = time.perf_counter() - t0
done.set()
peak_kb = max(peak[0], rss_kb())
print(json.dumps({"seconds": seconds, "peak_kb": peak_kb, "base_kb": base_kb, "n": out}))
"""


def interview(megabytes: float, seed: int = 14) -> str:
    rng = random.Random(seed)
    out, size, turn = [], 0, 0
    while size < megabytes * 1_000_000:
        label = "Interviewer" if turn % 2 == 0 else "Respondent"
        line = f"{label}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))) + "."
        out.append(line)
        size += len(line.encode("utf-8")) + 1
        turn += 1
    return "\n".join(out) + "\n"


def make_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))


def make_pdf(path: Path, text: str) -> None:
    import weasyprint

    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf(path)


def make_qdpx(path: Path, text: str, selections: int = 2000) -> None:
    ns = "urn:QDA-XML:project:1.0"
    root = etree.Element(f"{{{ns}}}Project", name="bench", nsmap={None: ns})
    codes = etree.SubElement(etree.SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    code = "cccccccc-0000-0000-0000-000000000001"
    etree.SubElement(codes, f"{{{ns}}}Code", guid=code, name="Buurt", isCodable="true")
    sources = etree.SubElement(root, f"{{{ns}}}Sources")
    source = etree.SubElement(
        sources, f"{{{ns}}}TextSource", guid="bbbbbbbb-0000-0000-0000-000000000001", name="bench",
        plainTextPath="internal://bench.txt",
    )  # fmt: skip
    rng = random.Random(1)
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"wijkagent|buren", text)]
    for n, (s, e) in enumerate(sorted(rng.sample(spans, min(selections, len(spans)))), start=1):
        sel = etree.SubElement(
            source, f"{{{ns}}}PlainTextSelection", guid=f"dddddddd-0000-0000-0000-{n:012d}",
            startPosition=str(s), endPosition=str(e),
        )  # fmt: skip
        coding = etree.SubElement(sel, f"{{{ns}}}Coding", guid=f"eeeeeeee-0000-0000-0000-{n:012d}")
        etree.SubElement(coding, f"{{{ns}}}CodeRef", targetGUID=code)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        zf.writestr("sources/bench.txt", text.encode("utf-8"))


def child(mode: str, path: Path, study: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(study)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--txt-mb", type=float, default=30)
    parser.add_argument("--docx-mb", type=float, default=4)
    parser.add_argument("--pdf-mb", type=float, default=0.3)
    parser.add_argument("--qdpx-mb", type=float, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        study = tmp_path / "study"
        (study / "interviews").mkdir(parents=True)
        cases = []
        for fmt, mb in (("txt", args.txt_mb), ("docx", args.docx_mb), ("pdf", args.pdf_mb), ("qdpx", args.qdpx_mb)):
            text = interview(mb)
            path = tmp_path / f"bench.{fmt}"
            t0 = time.perf_counter()
            {"txt": lambda p, t: p.write_text(t, encoding="utf-8"), "docx": make_docx, "pdf": make_pdf}.get(
                fmt, make_qdpx
            )(path, text)
            made = time.perf_counter() - t0
            cases.append((fmt, path, len(text.encode("utf-8")) / 1e6, made))
        print(f"{'format':6} {'file MB':>8} {'text MB':>8} {'import s':>9} {'MB/s':>7} {'ref s':>7} "
              f"{'+peak MB':>9} {'ref +peak':>10} {'per file MB':>12} {'per text MB':>12}")  # fmt: skip
        for fmt, path, text_mb, _made in cases:
            file_mb = path.stat().st_size / 1e6
            ref = child("reference", path, study)
            run = child("qdpx" if fmt == "qdpx" else "import", path, study)
            peak = (run["peak_kb"] - run["base_kb"]) / 1024
            ref_peak = (ref["peak_kb"] - ref["base_kb"]) / 1024
            print(
                f"{fmt:6} {file_mb:8.2f} {text_mb:8.2f} {run['seconds']:9.2f} {text_mb / run['seconds']:7.2f} "
                f"{ref['seconds']:7.2f} {peak:9.0f} {ref_peak:10.0f} {peak / file_mb:12.1f} {peak / text_mb:12.1f}"
            )
        print(
            "+peak: rise of the resident memory during the import (over the process after its imports); the "
            "reference only reads the file. Target: < 50 MB per MB. MB/s: text MB per second of import."
        )


if __name__ == "__main__":
    main()
