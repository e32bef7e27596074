"""Benchmark: build the LHBT-platform site for every municipality (342 in the CBS list of 2025).

Run: .venv/bin/python benchmarks/platform_build.py [--gemeenten 342] [--per-gemeente 20] [--browser]

Writes one synthetic, entirely fictional export per municipality (dialoog.platform.synthetic) as JSON,
then times `dialoog platform build` on them, phase by phase: reading and validating the exports, merging
(recognising the same initiative across municipalities), and writing the pages, search index and data.
Reports the size of the search index beside a plain baseline: shipping the whole merged export to the
page for the search (and both gzipped, as a web server would send them). With --browser, also loads the
overview page in headless Chromium five times and reports the load time (Navigation Timing API,
loadEventEnd) from file:// as well as the time of a search in the page.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dialoog.platform.export import read_export, write_export
from dialoog.platform.merge import merge_exports
from dialoog.platform.site import write_site
from dialoog.platform.synthetic import synthetic_exports


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _browser(site: Path, profile: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.conftest import headless_chromium  # skips (raises) without Chromium

    with headless_chromium(profile, "1200,900") as driver:
        loads = []
        for _ in range(5):
            driver.get((site / "index.html").as_uri())
            loads.append(driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd"))
        search = driver.execute_script(
            "const t0 = performance.now(); document.getElementById('q').value = 'ouderen wijk';"
            "document.getElementById('zoeken').dispatchEvent(new Event('submit', {cancelable: true}));"
            "return [performance.now() - t0, document.getElementById('aantal').textContent];"
        )
    print(
        f"overview page load (file://, 5 loads): median {statistics.median(loads):.0f} ms, "
        f"first {loads[0]:.0f} ms, max {max(loads):.0f} ms"
    )
    print(f"a two-word search with all filters: {search[0]:.1f} ms ({search[1]})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gemeenten", type=int, default=342)
    ap.add_argument("--per-gemeente", type=int, default=20)
    ap.add_argument("--browser", action="store_true", help="also measure the overview page in headless Chromium")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = []
        for n, exp in enumerate(synthetic_exports(args.gemeenten, args.per_gemeente)):
            paths.append(tmp / "exports" / f"{n:03d}-{exp.gemeenten[0].slug}.json")
            write_export(exp, paths[-1])
        t0 = time.perf_counter()
        sources = [(p.name, read_export(p)) for p in paths]
        t1 = time.perf_counter()
        merged = merge_exports(sources)
        t2 = time.perf_counter()
        site = write_site(merged.export, tmp / "site")
        t3 = time.perf_counter()
        index = (site.output / "assets" / "zoekindex.js").read_bytes()
        baseline = (site.output / "data" / "platform.json").read_bytes()
        total = sum(f.stat().st_size for f in site.output.rglob("*") if f.is_file())
        print(
            f"{site.gemeenten} gemeenten, {site.initiatives} initiatives (synthetic, fictional): "
            f"{site.pages} pages, {total / 1e6:.1f} MB in all"
        )
        print(
            f"build {t3 - t0:.1f} s = read and validate {t1 - t0:.1f} s + merge {t2 - t1:.1f} s "
            f"({merged.groups} groups, {len(merged.review)} pairs for review) + pages and index {t3 - t2:.1f} s"
        )
        print(
            f"search index {len(index) / 1e6:.2f} MB ({_gz(index) / 1e6:.2f} MB gzipped); baseline, the whole "
            f"merged export: {len(baseline) / 1e6:.2f} MB ({_gz(baseline) / 1e6:.2f} MB gzipped)"
        )
        if args.browser:
            _browser(site.output, tmp / "chromium-profile")


if __name__ == "__main__":
    main()
