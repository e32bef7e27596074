"""Shared fixtures: a tiny, fully fictional study built in a temporary folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialoog.study import codings, transcripts
from dialoog.study.folder import Study

REPO = Path(__file__).resolve().parents[1]

TINY_CODEBOOK = """\
codes:
  - id: veiligheid
    label: Veiligheid
    description: Over veiligheid.
  - id: incidenten
    parent: veiligheid
    label: Incidenten
    description: Concrete voorvallen.
  - id: wat-werkt
    label: Wat werkt
    description: Wat goed werkt.
  - id: wat-werkt-niet
    label: Wat werkt niet
    description: Wat niet werkt.
  - id: vragen-behoeften
    label: Vragen en behoeften
    description: Wat nog nodig is.
"""

TURNS = [
    [
        ("Interviewer", "Hoe is het om in deze wijk te wonen?"),
        ("Respondent", "Meestal prima. Maar vorig jaar riepen jongens me na bij de bushalte, dat was niet leuk."),
        ("Interviewer", "Wat hielp toen?"),
        ("Respondent", "De wijkagent kwam langs en nam het serieus, dat werkte echt goed voor mij."),
        ("Respondent", "Ik mis wel een vast aanspreekpunt bij de gemeente waar ik met zulke dingen terecht kan."),
    ],
    [
        ("Interviewer", "Wat ziet u als professional?"),
        (
            "Respondent",
            "Melden gebeurt weinig, want mensen denken dat er toch niks mee gedaan wordt door de instanties.",
        ),
        (
            "Respondent",
            "Een training voor collega's zou helpen, want veel collega's weten niet hoe ze het gesprek aangaan.",
        ),
    ],
]


def make_tiny_study(root: Path) -> Study:
    """Two Schiedam transcripts, a five-code codebook and two coders who partly agree."""
    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    roles = ["lhbt-inwoner", "wijkprofessional"]
    for i, (turns, role) in enumerate(zip(TURNS, roles, strict=True), start=1):
        meta = {
            "id": f"schiedam-0{i}",
            "gemeente": "Schiedam",
            "wijk": "Groenoord",
            "datum": dt.date(2026, 3, i),
            "interviewer": "Onderzoeker 1",
            "respondent": role,
            "consent": True,
            "pseudonymised": True,
            "fictional": True,
        }
        transcripts.save(root / "interviews" / "schiedam" / f"schiedam-0{i}.md", meta, turns)
    study = Study(root)
    t1, t2 = study.transcripts["schiedam-01"], study.transcripts["schiedam-02"]

    def seg(t: transcripts.Transcript, turn: int, code: str, coder: str) -> codings.Coding:
        tt = t.turns[turn]
        return codings.make(t, tt.start, tt.end, code, coder)

    codings.write(
        study.codings_path("anouk"),
        [
            seg(t1, 1, "incidenten", "anouk"),
            seg(t1, 3, "wat-werkt", "anouk"),
            seg(t1, 4, "vragen-behoeften", "anouk"),
            seg(t2, 1, "wat-werkt-niet", "anouk"),
            seg(t2, 2, "vragen-behoeften", "anouk"),
        ],
    )
    codings.write(
        study.codings_path("bram"),
        [
            seg(t1, 1, "incidenten", "bram"),
            seg(t1, 3, "wat-werkt", "bram"),
            seg(t1, 4, "wat-werkt-niet", "bram"),
            seg(t2, 1, "wat-werkt-niet", "bram"),
        ],
    )
    return Study(root)


@pytest.fixture
def tiny_study(tmp_path: Path) -> Study:
    return make_tiny_study(tmp_path / "study")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A copy of the repository's demo study (transcripts, codebook, codings, registers, monitor)."""
    dest = tmp_path / "demo"
    for name in ("interviews", "codebook", "codings", "inventaris", "monitor"):
        shutil.copytree(REPO / name, dest / name)
    return dest


CHROMIUM = Path("/usr/bin/chromium")  # Debian package 'chromium'
CHROMEDRIVER = Path(shutil.which("chromedriver") or "/usr/bin/chromedriver")  # Debian package 'chromium-driver'


@contextlib.contextmanager
def headless_chromium(profile: Path, window: str) -> Iterator:
    """Debian's Chromium driven by selenium, headless, with a fresh profile and no background network.
    Skips the test with a reason where Chromium, its driver or selenium is missing."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium and chromium-driver (Debian packages) are not installed")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--window-size={window}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def pdfua_findings(path: Path) -> list[str]:
    """Every finding of the `pdfua` checker (PDF/UA-1, machine-checkable part) on `path`, as text.

    pdfua 0.1.3 cannot evaluate its empty-heading rule (UA-14-001) on PDFs whose headings hold an array of
    marked content: with pikepdf 9 and 10, ``getattr(array, "is_integer")`` raises ValueError instead of
    returning a default. The rule is run here with that one lookup made safe, so it is evaluated too; a rule
    that still cannot run counts as a finding.
    """
    import pdfua
    from pdfua import document as pdfua_document
    from pdfua.rules import structure as pdfua_structure

    original = pdfua_document.as_integer

    def as_integer(value):
        try:
            return original(value)
        except ValueError:
            return None

    pdfua_structure.as_integer = as_integer
    try:
        report = pdfua.validate(str(path))
    finally:
        pdfua_structure.as_integer = original
    out = [f"{f.rule_id} {f.severity.name}: {f.message} ({f.location})" for f in report.findings]
    out += [f"{o.rule_id} not evaluated: {o.skipped_reason}" for o in report.skipped if "raised" in o.skipped_reason]
    return out


#: patterns that must never appear in a published text (reports, leaflet, regional analysis)
FORBIDDEN = {
    "digit 1 before a plural noun": re.compile(
        r"(?<![\d,.])\b1 (?:gesprekken|fragmenten|doelen|codeurs|coderingen|initiatieven|behoeften|wijken|acties|"
        r"respondenten|interviews|jaren|toetsen|uitkomsten|cijfers|personen|codes)\b"
    ),
    "'zijn 1'": re.compile(r"\bzijn 1\b"),
    "'onderdrukt' (reads as 'oppressed')": re.compile(r"onderdrukt", re.I),
    "a dialoog command": re.compile(
        r"\bdialoog (?:import|pseudonymise|report|inventory|code|check|merge|agreement|validate|suggest|monitor|init|"
        r"withdraw|schema|platform)\b|--(?:init|gemeente|study)\b"
    ),
    "'door 0 codeurs'": re.compile(r"door 0 codeurs"),
    "English": re.compile(r"\b(?:the|and|with|error|warning|None|NaN|nan|True|False|Traceback|null)\b"),
    "another term for the community": re.compile(r"LHBTI\+|LHBTIQ|LHBTQIA|lhbtiq"),
    "'en ... en' list without a repeated preposition": re.compile(r"\bover \w+ en zichtbaarheid en acceptatie\b"),
}
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE_START = re.compile(rf"\d{{1,2}} (?:{_MONTHS})\b")
#: a sentence that only defines the CBS's term may name it
_DEFINITION = re.compile(r"[^.]*\bnoemt\b[^.]*")


def html_prose(page: str) -> list[str]:
    """The running text of a published HTML page: its paragraphs and list items, outside tables, figures,
    the contents list, code and styles (where numbers and labels are data, not sentences)."""
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(page)
    for bad in doc.xpath("//style|//script|//table|//figure|//nav|//pre|//code"):
        bad.drop_tree()
    return [" ".join(" ".join(e.itertext()).split()) for e in doc.xpath("//p|//li") if "".join(e.itertext()).strip()]


def published_text_problems(name: str, text: str, prose: list[str] | None = None) -> list[str]:
    """Every forbidden pattern in `text`, and every sentence of `prose` that starts with a digit."""
    text = _DEFINITION.sub("", text)
    out = [f"{name}: {what}: {m.group(0)!r}" for what, rx in FORBIDDEN.items() for m in rx.finditer(text)]
    for paragraph in prose or []:
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            if re.match(r"\d", sentence) and not _DATE_START.match(sentence):
                out.append(f"{name}: a sentence starts with a digit: {sentence[:60]!r}")
    return out
