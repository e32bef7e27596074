"""Benchmark: the coder in a real JupyterLab (headless Chromium), on a fictional 30,000-word transcript.

    .venv/bin/python benchmarks/coder.py [--words 30000] [--rounds 20] [--screenshots docs/img]

Measured in the browser with performance.now(), through the real kernel and comm:

- open:        choosing the transcript in the "Gesprek" list until it is rendered with its highlights and margin
               labels (Python builds the state, it travels to the browser, the browser renders it);
               reference in the same run: the same for a demo-sized transcript;
- round trip:  pressing Enter on a code after a selection until the new highlight is shown, the coding having
               been saved under the lock in codings/<coder>.csv (checked afterwards); reference in the same run:
               `CodingSession.apply` alone (the library's locked, atomic save: the floor of a round trip).

Targets (issue 13): open < 2 s, round trip < 200 ms. With --screenshots, the README's pictures of the coder
are taken on a copy of the demo study.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from dialoog.coding.session import CodingSession  # noqa: E402
from dialoog.study import transcripts  # noqa: E402
from dialoog.study.folder import Study  # noqa: E402

WORDS = (
    "de buurt het huis ik wij jullie gemeente school werk straat avond tram fiets winkel vereniging sport "
    "vrienden familie collega's praten luisteren merken voelen zeggen vragen melden helpen veilig open rustig "
    "lastig moeilijk gewoon soms vaak nooit altijd eigenlijk natuurlijk misschien gelukkig jammer"
).split()


def fictional_turns(n_words: int, seed: int = 13) -> list[tuple[str, str]]:
    """Alternating questions and long answers, made of a fixed word list (fictional, no persons)."""
    rng = random.Random(seed)
    turns, total = [], 0
    while total < n_words:
        q = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "?"
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
            for _ in range(rng.randint(2, 6))
        ]
        a = " ".join(sentences)
        turns += [("Interviewer", q), ("Respondent", a)]
        total += len(q.split()) + len(a.split())
    return turns


def make_study(root: Path, n_words: int) -> tuple[Study, str, str]:
    """A study with a long and a short fictional transcript in Zwolle, the demo codebook, 200 codings."""
    (root / "codebook").mkdir(parents=True)
    shutil.copy(REPO / "codebook" / "codebook.yaml", root / "codebook" / "codebook.yaml")
    (root / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "coderen.ipynb", root / "notebooks" / "coderen.ipynb")
    meta = {"gemeente": "Zwolle", "wijk": "Stadshagen", "datum": dt.date(2026, 5, 1), "interviewer": "Onderzoeker 1",
            "respondent": "lhbt-inwoner", "consent": True, "pseudonymised": True, "fictional": True}  # fmt: skip
    transcripts.save(root / "interviews" / "zwolle" / "zwolle-01.md", {**meta, "id": "zwolle-01"},
                     fictional_turns(n_words))  # fmt: skip
    transcripts.save(root / "interviews" / "zwolle" / "zwolle-02.md", {**meta, "id": "zwolle-02"},
                     fictional_turns(900, seed=2))  # fmt: skip
    study = Study(root)
    t = study.transcripts["zwolle-01"]
    session = CodingSession(study, "bench")
    codes = [c.id for c in study.codebook.walk()]
    rng = random.Random(1)
    for turn in rng.sample([x for x in t.turns if x.speaker == "Respondent"], 200):
        a = turn.start + rng.randint(0, max(len(turn.text) // 2, 1))
        session.apply(t.id, a, min(a + rng.randint(20, 120), turn.end), [rng.choice(codes)])
    return Study(root), "zwolle-01", "zwolle-02"


OPEN_JS = """
const [tid, done] = [arguments[0], arguments[arguments.length - 1]];
const root = document.querySelector('.dlg-coder');
const select = root.querySelectorAll('.dlg-head select')[1];
const t0 = performance.now();
const observer = new MutationObserver(() => {
  if (root.dataset.transcript === tid) { observer.disconnect(); done(performance.now() - t0); }
});
observer.observe(root, {attributes: true, attributeFilter: ['data-transcript']});
select.value = tid;
select.dispatchEvent(new Event('change'));
"""

SELECT_JS = """
const [turn, a, b] = arguments;
const root = document.querySelector('.dlg-coder');
const textEl = root.querySelector(`.dlg-text[data-i="${turn}"]`);
textEl.scrollIntoView({block: 'center'});
const node = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT).nextNode();
const range = document.createRange();
range.setStart(node, Math.min(a, node.data.length - 1));
range.setEnd(node, Math.min(b, node.data.length));
const sel = window.getSelection();
sel.removeAllRanges();
sel.addRange(range);
textEl.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
"""

ROUND_TRIP_JS = (
    SELECT_JS
    + """
const done = arguments[arguments.length - 1];
setTimeout(() => {
  const before = root.dataset.status;
  const filter = root.querySelector('.dlg-filter');
  filter.value = 'zichtbaar';
  filter.dispatchEvent(new Event('input'));
  const observer = new MutationObserver(() => {
    if (root.dataset.status !== before) {
      observer.disconnect();
      done([+root.dataset.roundtrip, root.querySelector('.dlg-status').textContent]);
    }
  });
  observer.observe(root, {attributes: true, attributeFilter: ['data-status']});
  filter.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
}, 50);
"""
)


def open_lab(study: Study, tmp: Path, window: str, coder: str):
    """JupyterLab with the coding notebook run and the coder name typed in (the test suite's helpers)."""
    from tests.test_jupyterlab import coder_in_lab

    return coder_in_lab(study, tmp, coder)


def benchmark(words: int, rounds: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="dialoog-coder-bench-"))
    try:
        study, long_id, short_id = make_study(tmp / "studie", words)
        n_words = study.transcripts[long_id].word_count()
        before = len(CodingSession(study, "bench").codings(long_id))
        with open_lab(study, tmp, "1500,1100", "bench") as (driver, wait):
            driver.set_script_timeout(60)
            opens = {tid: [] for tid in (short_id, long_id)}
            for _ in range(3):
                for tid in (short_id, long_id):
                    opens[tid].append(driver.execute_async_script(OPEN_JS, tid) / 1000)
            turns = [i for i, t in enumerate(study.transcripts[long_id].turns) if t.speaker == "Respondent"]
            trips = []
            for turn in random.Random(5).sample(turns, rounds):
                ms, status = driver.execute_async_script(ROUND_TRIP_JS, turn, 0, 30)
                assert status.startswith(("gecodeerd", "al gecodeerd")), status
                trips.append(ms)
        saved = len(CodingSession(study, "bench").codings(long_id)) - before
        floor = []
        session = CodingSession(study, "floor")
        t = study.transcripts[long_id]
        for turn in turns[:rounds]:
            t0 = time.perf_counter()
            session.apply(long_id, t.turns[turn].start, t.turns[turn].start + 30, ["evaluatie"])
            floor.append((time.perf_counter() - t0) * 1000)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def stats(xs: list[float]) -> str:
        p90 = statistics.quantiles(xs, n=10, method="inclusive")[-1] if len(xs) > 2 else max(xs)
        return f"median {statistics.median(xs):7.3f}  p90 {p90:7.3f}  max {max(xs):7.3f}"

    print(f"transcript: {n_words} words, {len(study.transcripts[long_id].turns)} turns, 200 codings")
    print(f"open long  (s):  {stats(opens[long_id])}   target < 2 s")
    print(f"open short (s):  {stats(opens[short_id])}   reference: {study.transcripts[short_id].word_count()} words")
    print(f"round trip (ms): {stats(trips)}   target < 200 ms ({rounds} codings, {saved} saved)")
    print(f"floor (ms):      {stats(floor)}   CodingSession.apply alone (locked read, change, atomic write)")


def screenshots(folder: Path) -> None:
    """The README's pictures, on a copy of the demo study coded by anouk and bram."""
    from selenium.webdriver.common.by import By

    tmp = Path(tempfile.mkdtemp(prefix="dialoog-coder-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        root = tmp / "demo"
        for name in ("interviews", "codebook", "codings", "suggestions"):
            shutil.copytree(REPO / name, root / name)
        (root / "notebooks").mkdir()
        shutil.copy(REPO / "notebooks" / "coderen.ipynb", root / "notebooks" / "coderen.ipynb")
        study = Study(root)
        with open_lab(study, tmp, "1800,1300", "anouk") as (driver, wait):
            driver.set_window_size(1900, 1400)
            for no in driver.find_elements(By.XPATH, "//button[normalize-space()='No']"):
                no.click()  # JupyterLab's question about news, not part of the coder
            driver.execute_script(
                "document.querySelector('.jp-SideBar .lm-TabBar-tab.lm-mod-current')?.click()"
            )  # fold the file browser away
            time.sleep(1)
            coder = driver.find_element(By.CSS_SELECTOR, ".dlg-coder")
            blind = coder.find_element(By.CSS_SELECTOR, ".dlg-check input")
            blind.click()  # show bram's codings too: overlapping highlights
            time.sleep(1.5)
            driver.execute_script(SELECT_JS, 3, 0, 60)  # a selection: the code chooser with a definition
            time.sleep(0.5)
            driver.execute_script("document.querySelector('.dlg-doc').scrollTop = 0")
            time.sleep(0.5)
            coder.screenshot(str(folder / "coder.png"))
            driver.find_element(By.XPATH, "//button[.='Fragmenten per code']").click()
            driver.execute_script(
                "const s = document.querySelector('.dlg-retrieve select');"
                "s.value = 'wat-werkt'; s.dispatchEvent(new Event('change'));"
            )
            time.sleep(1.5)
            coder.screenshot(str(folder / "coder-fragmenten.png"))
            driver.find_element(By.XPATH, "//button[.='Consensus']").click()
            time.sleep(2)
            coder.screenshot(str(folder / "coder-consensus.png"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots written to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--screenshots", type=Path, metavar="DIR", help="also save the README's screenshots here")
    parser.add_argument("--only-screenshots", action="store_true", help="skip the timings")
    args = parser.parse_args()
    if not args.only_screenshots:
        benchmark(args.words, args.rounds)
    if args.screenshots:
        screenshots(args.screenshots)


if __name__ == "__main__":
    main()
