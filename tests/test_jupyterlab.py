"""The coder in a real JupyterLab, driven in headless Chromium with the mouse and keyboard: a span dragged over
with the mouse is coded exactly, a selection across two turns gives one fragment per turn, and a suggestion is
accepted with one key. The codings files are checked after each action."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from dialoog.cli import main
from dialoog.study import codings
from dialoog.study.folder import Study

from .conftest import CHROMEDRIVER, CHROMIUM, REPO, headless_chromium, make_tiny_study

pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (Debian package 'chromium')"),
    pytest.mark.skipif(
        not CHROMEDRIVER.exists(), reason="no chromedriver at /usr/bin/chromedriver (Debian package 'chromium-driver')"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(root: Path):
    port, token = free_port(), secrets.token_hex(16)
    runtime = Path(tempfile.mkdtemp(prefix="jupyter-runtime-"))
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_PLATFORM_DIRS": "1"}
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    log = (root / "jupyterlab.log").open("w")
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            if server.poll() is not None:
                pytest.fail("JupyterLab did not start: " + (root / "jupyterlab.log").read_text())
            time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)


def coder_study(tmp_path: Path) -> Study:
    """The tiny study with the coding notebook in its notebooks/ folder and a keyword for suggestions."""
    study = make_tiny_study(tmp_path / "studie")
    cb = study.codebook_path
    cb.write_text(
        cb.read_text(encoding="utf-8").replace(
            "description: Concrete voorvallen.", "description: Concrete voorvallen.\n    keywords: [naroepen]"
        ),
        encoding="utf-8",
    )
    (study.root / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "coderen.ipynb", study.root / "notebooks" / "coderen.ipynb")
    return Study(study.root)


@contextlib.contextmanager
def coder_in_lab(study: Study, tmp_path: Path, coder: str = "browser"):
    """JupyterLab on the study's coding notebook, all cells run, the coder name typed in; yields the driver."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with jupyterlab(study.root) as (url, token), headless_chromium(tmp_path / "profile", "1500,1100") as driver:
        wait = WebDriverWait(driver, 120)
        driver.get(f"{url}/lab/tree/notebooks/coderen.ipynb?token={token}")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")))
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(@class,'jp-Notebook-ExecutionIndicator')]")))
        time.sleep(2)
        wait.until(ec.element_to_be_clickable((By.XPATH, "//li[contains(@class,'lm-MenuBar-item')][.='Run']"))).click()
        wait.until(
            ec.element_to_be_clickable((By.XPATH, "//li[contains(@class,'lm-Menu-item')][.//div[.='Run All Cells']]"))
        ).click()
        name = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, ".dlg-coder .dlg-head input")))
        name.send_keys(coder, Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.XPATH, f"//*[contains(text(),'Je codeert als {coder}')]")))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".dlg-coder .dlg-text")))
        yield driver, wait


def char_point(driver, turn: int, offset: int, side: str, scroll: bool = True) -> tuple[float, float]:
    """Viewport coordinates just inside the left or right edge of character `offset` of a turn's text
    (scrolled into view first unless `scroll` is false)."""
    return driver.execute_script(
        """
        const [turn, offset, side, scroll] = arguments;
        const textEl = document.querySelector(`.dlg-text[data-i="${turn}"]`);
        if (scroll) textEl.scrollIntoView({block: "center"});
        const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
        let left = offset, node;
        while ((node = walker.nextNode())) {
          if (left < node.data.length) break;
          left -= node.data.length;
        }
        const r = document.createRange();
        r.setStart(node, left);
        r.setEnd(node, left + 1);
        const box = r.getClientRects()[0];
        return [side === "left" ? box.left + 1 : box.right - 1, box.top + box.height / 2];
        """,
        turn,
        offset,
        side,
        scroll,
    )


def drag(driver, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Press the mouse at `start`, move to `end` in steps, release: a real drag selection."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(start[0]), int(start[1]))
    actions.pointer_action.pointer_down()
    for k in range(1, 6):
        x = start[0] + (end[0] - start[0]) * k / 5
        y = start[1] + (end[1] - start[1]) * k / 5
        actions.pointer_action.move_to_location(int(x), int(y))
    actions.pointer_action.pointer_up()
    actions.perform()


def click_at(driver, x: float, y: float) -> None:
    """A real mouse click at viewport coordinates (puts the caret there)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(x), int(y))
    actions.pointer_action.click()
    actions.perform()


def wait_status(driver, wait, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".dlg-coder .dlg-status"), text))


def type_code(driver, wait, query: str) -> None:
    """Type in the code filter (the selection put the focus there) and press Enter."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.CSS_SELECTOR, ".dlg-coder .dlg-filter")
    wait.until(lambda d: d.switch_to.active_element == box)
    box.send_keys(query)
    box.send_keys(Keys.ENTER)


def test_drag_over_a_span_and_code_it_then_select_with_the_keyboard(tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    study = coder_study(tmp_path)
    t = study.transcripts["schiedam-01"]
    turn = t.turns[1]
    a = turn.text.index("riepen jongens")
    b = turn.text.index(" bij de bushalte")
    with coder_in_lab(study, tmp_path) as (driver, wait):
        drag(driver, char_point(driver, 1, a, "left"), char_point(driver, 1, b - 1, "right"))
        type_code(driver, wait, "incid")
        wait_status(driver, wait, "gecodeerd: Incidenten")
        margin = driver.execute_script("return document.querySelector('.dlg-turn[data-i=\"1\"] .dlg-tag').textContent")
        assert margin == "Incidenten"  # the label in the margin beside the highlight

        # with the keyboard: click before "wijkagent", then Shift + arrow right, nine times
        rows = codings.read(study.codings_path("browser"))
        assert [(r.transcript, r.start, r.end, r.text, r.code, r.coder) for r in rows] == [
            ("schiedam-01", turn.start + a, turn.start + b, "riepen jongens me na", "incidenten", "browser")
        ]
        third = t.turns[3]
        k = third.text.index("wijkagent")
        click_at(driver, *char_point(driver, 3, k, "left"))
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ARROW_RIGHT * 9).key_up(Keys.SHIFT).perform()
        type_code(driver, wait, "wat werkt")
        wait_status(driver, wait, "gecodeerd: Wat werkt")

    rows = codings.read(study.codings_path("browser"))
    assert [(r.start, r.end, r.text, r.code) for r in rows] == [
        (turn.start + a, turn.start + b, "riepen jongens me na", "incidenten"),
        (third.start + k, third.start + k + 9, "wijkagent", "wat-werkt"),
    ]


def test_a_selection_across_two_turns_gives_one_fragment_per_turn(tmp_path):
    study = coder_study(tmp_path)
    t = study.transcripts["schiedam-01"]
    first, second = t.turns[3], t.turns[4]
    a = first.text.index("nam het serieus")
    b = second.text.index(" bij de gemeente")
    with coder_in_lab(study, tmp_path) as (driver, wait):
        start = char_point(driver, 3, a, "left")
        drag(driver, start, char_point(driver, 4, b - 1, "right", scroll=False))
        type_code(driver, wait, "wat werkt")
        wait_status(driver, wait, "2 fragmenten, één per beurt")

    rows = codings.read(study.codings_path("browser"))
    assert [(r.start, r.end, r.text, r.code) for r in rows] == [
        (first.start + a, first.end, first.text[a:], "wat-werkt"),
        (second.start, second.start + b, second.text[:b], "wat-werkt"),
    ]


def test_accept_a_suggestion_with_one_key(tmp_path):
    from selenium.webdriver.common.by import By

    study = coder_study(tmp_path)
    assert main(["suggest", "--study", str(study.root), "--transcript", "schiedam-01"]) == 0
    from dialoog.assist.suggest import load_suggestions

    suggestions = load_suggestions(study, "schiedam-01", coder="browser")
    assert suggestions
    with coder_in_lab(study, tmp_path) as (driver, wait):
        underlined = driver.find_element(By.CSS_SELECTOR, ".dlg-text .dlg-sg")  # dotted underline in the text
        assert "dotted" in underlined.value_of_css_property("text-decoration-style")
        item = driver.find_element(By.CSS_SELECTOR, ".dlg-sugg-list .dlg-sugg")  # the best one first
        assert "waarom:" in item.text  # ranked, with its reason
        label = next(study.codebook.label(s.code) for s in suggestions if study.codebook.label(s.code) in item.text)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
        item.click()
        driver.switch_to.active_element.send_keys("a")
        wait_status(driver, wait, f"suggestie geaccepteerd: {label}")

    rows = codings.read(study.codings_path("browser"))
    assert len(rows) == 1  # exactly the suggestion that was accepted, with its span and text
    r = rows[0]
    assert (r.transcript, r.start, r.end, r.text, r.code) in {
        (s.transcript, s.start, s.end, s.text, s.code) for s in suggestions
    }
    assert study.codebook.label(r.code) == label
