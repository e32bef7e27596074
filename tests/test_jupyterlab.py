"""The coding notebook in a real JupyterLab, driven in headless Chromium: apply a code and check it was saved."""

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

from dialoog.study import codings

from .conftest import CHROMEDRIVER, CHROMIUM, REPO, headless_chromium

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


def test_apply_a_code_in_jupyterlab(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    study = tmp_path / "studie"
    for name in ("interviews", "codebook", "codings"):
        shutil.copytree(REPO / name, study / name)
    (study / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "coderen.ipynb", study / "notebooks" / "coderen.ipynb")

    with jupyterlab(study) as (url, token), headless_chromium(tmp_path / "profile", "1400,1000") as driver:
        wait = WebDriverWait(driver, 120)
        driver.get(f"{url}/lab/tree/notebooks/coderen.ipynb?token={token}")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")))
        # wait for the kernel, then Run > Run All Cells
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(@class,'jp-Notebook-ExecutionIndicator')]")))
        time.sleep(2)
        wait.until(ec.element_to_be_clickable((By.XPATH, "//li[contains(@class,'lm-MenuBar-item')][.='Run']"))).click()
        wait.until(
            ec.element_to_be_clickable((By.XPATH, "//li[contains(@class,'lm-Menu-item')][.//div[.='Run All Cells']]"))
        ).click()

        name = wait.until(ec.element_to_be_clickable((By.XPATH, "//label[.='Codeur']/following-sibling::input")))
        name.send_keys("browser", Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'Je codeert als browser')]")))
        option = wait.until(
            ec.element_to_be_clickable((By.XPATH, "//label[.='Codes']/following-sibling::select/option[1]"))
        )
        option.click()
        time.sleep(1)  # let the selection reach the kernel
        driver.find_element(By.XPATH, "//button[normalize-space()='Codeer']").click()
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'gecodeerd: Veiligheid')]")))

    saved = study / "codings" / "browser.csv"
    assert saved.is_file()
    rows = codings.read(saved)
    assert len(rows) == 1
    row = rows[0]
    transcript = next(p for p in sorted((study / "interviews").glob("*/*.md")))
    from dialoog.study.transcripts import load

    t = load(transcript)
    assert (row.transcript, row.code, row.coder) == (t.id, "veiligheid", "browser")
    assert (row.start, row.end) == (t.turns[0].start, t.turns[0].end)
