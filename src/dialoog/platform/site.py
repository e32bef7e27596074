"""The platform site: static, accessible HTML built from one or more exports, with no code on the server.

Layout of the output folder (all links relative, so it works from file:// and from any web server)::

    index.html                      search and filters, overview per theme, doelgroep and gemeente
    thema/<id>.html                 initiatives per theme
    doelgroep/<id>.html             initiatives per doelgroep
    gemeente/<slug>.html            a municipality: its initiatives and its gaps, with what works elsewhere
    initiatief/<gemeente>/<id>.html one page per initiative
    over.html                       where the data come from and what is never on the site
    assets/                         site.css, zoeken.js and the prebuilt search index zoekindex.js
    data/                           platform.json (the merged export), platform.csv and schema.json
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from dialoog.errors import DialoogError
from dialoog.fileio import scratch_dir
from dialoog.inventory.registers import KINDS, STATUSES, TARGET_GROUPS
from dialoog.platform.export import read_export, to_csv
from dialoog.platform.matching import Matcher
from dialoog.platform.merge import MergeResult, merge_exports
from dialoog.platform.model import EVALUATIONS, GAP_KINDS, THEMES, Initiatief, PlatformExport, json_schema
from dialoog.platform.searchindex import build_index, index_script

SITE_NAME = "LHBT-platform"
MARKER = ".dialoog-platform"
#: how many municipalities with the same initiative an initiative's page lists
ELSEWHERE = 12
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]  # fmt: skip


@dataclass
class SiteResult:
    output: Path
    pages: int
    initiatives: int
    gemeenten: int
    index_bytes: int
    review: int  # uncertain matches between initiatives, left for review (dialoog platform merge --review)


def url(i: Initiatief) -> str:
    return f"initiatief/{i.gemeente_slug}/{i.slug}.html"


def date_text(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def status_text(i: Initiatief) -> str:
    if i.status == "lopend":
        return f"lopend sinds {i.sinds}" if i.sinds else "lopend"
    if i.status == "gestopt":
        if i.sinds and i.tot:
            return f"gestopt (liep van {i.sinds} tot {i.tot})" if i.sinds != i.tot else f"gestopt (liep in {i.tot})"
        return f"gestopt in {i.tot}" if i.tot else "gestopt"
    return f"idee uit {i.sinds}" if i.sinds else "idee"


def mentions(i: Initiatief) -> str:
    n = i.vermeld_in_gesprekken
    if n == "0":
        return "Dit initiatief kwam niet ter sprake in de dialooggesprekken."
    if n.startswith("<"):
        return f"Genoemd in minder dan {n[1:].strip()} dialooggesprekken."
    return f"Genoemd in {n} dialooggesprek{'' if n == '1' else 'ken'}."


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dialoog.platform", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["group_label"] = lambda g: TARGET_GROUPS[g]
    env.filters["sentence"] = lambda text: text[:1].upper() + text[1:]
    env.globals.update(
        url=url,
        status_text=status_text,
        mentions=mentions,
        date=date_text,
        kinds=KINDS,
        groups=TARGET_GROUPS,
        themes=THEMES,
        evaluations=EVALUATIONS,
        gap_kinds=GAP_KINDS,
        site_name=SITE_NAME,
    )
    return env


class _Pages:
    """Renders every page of one site into a folder."""

    def __init__(self, export: PlatformExport, folder: Path) -> None:
        self.export, self.folder, self.count = export, folder, 0
        self.made: set[Path] = set()
        self.items = sorted(export.initiatieven, key=lambda i: (i.gemeente, i.naam.lower(), i.id))
        self.gemeenten = sorted(export.gemeenten, key=lambda g: g.naam)
        self.base = {
            "fictief": export.fictief,
            "sources": len(export.bronnen),
            "newest": date_text(max(b.datum for b in export.bronnen)),
        }

    def write(self, path: str, text: str) -> None:
        target = self.folder / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        target.write_text(text, encoding="utf-8")

    def page(self, template: str, path: str, **context) -> None:
        root = "../" * path.count("/")
        html = _env().get_template(template).render(**self.base, root=root, **context)
        self.write(path, html)
        self.count += 1

    def overview(self) -> None:
        per_g = {g.slug: 0 for g in self.gemeenten}
        for i in self.items:
            per_g[i.gemeente_slug] += 1
        filters = [
            ("thema", "Thema", [(n, label) for n, (label, _) in enumerate(THEMES.values())]),
            ("doelgroep", "Doelgroep", list(enumerate(TARGET_GROUPS.values()))),
            ("gemeente", "Gemeente", list(enumerate(g.naam for g in self.gemeenten))),
            ("soort", "Soort initiatief", list(enumerate(KINDS.values()))),
            ("status", "Status", list(enumerate(STATUSES.values()))),
        ]
        themes = [(t, label, what, sum(t in i.themas for i in self.items)) for t, (label, what) in THEMES.items()]
        groups = [(g, label, sum(g in i.doelgroepen for i in self.items)) for g, label in TARGET_GROUPS.items()]
        self.page(
            "index.html", "index.html", page="index", title="Zoeken en overzicht", filters=filters, themes=themes,
            groups=groups, gemeenten=self.gemeenten, counts=per_g, n_initiatives=len(self.items),
        )  # fmt: skip
        self.page("over.html", "over.html", page="over", title="Over dit platform", bronnen=self.export.bronnen)

    def lists(self) -> None:
        for t, (label, what) in THEMES.items():
            items = [i for i in self.items if t in i.themas]
            self.page(
                "list.html", f"thema/{t}.html", page="thema", title=f"Thema: {label}", kind_label=label,
                description=f"Initiatieven over {what}.", items=items, working=sum(i.reported_to_work for i in items),
            )  # fmt: skip
        for g, label in TARGET_GROUPS.items():
            items = [i for i in self.items if g in i.doelgroepen]
            self.page(
                "list.html", f"doelgroep/{g}.html", page="doelgroep", title=f"Voor {label}", kind_label=label,
                description="", items=items, working=sum(i.reported_to_work for i in items),
            )  # fmt: skip

    def gemeente_pages(self) -> None:
        matcher = Matcher(self.export)
        by_g: dict[str, list[Initiatief]] = {g.slug: [] for g in self.gemeenten}
        for i in self.items:
            by_g[i.gemeente_slug].append(i)
        for g in self.gemeenten:
            gaps = [(gap, matcher.for_gap(gap, g.slug)) for gap in g.lege_plekken]
            self.page(
                "gemeente.html", f"gemeente/{g.slug}.html", page="gemeente", title=g.naam, g=g, items=by_g[g.slug],
                gaps=gaps, statuses=[("lopend", "Lopend"), ("idee", "Idee"), ("gestopt", "Gestopt")],
            )  # fmt: skip

    def initiative_pages(self) -> None:
        groups: dict[str, list[Initiatief]] = {}
        for i in self.items:
            if i.groep:
                groups.setdefault(i.groep, []).append(i)
        for i in self.items:
            others = [x for x in groups.get(i.groep, []) if x.id != i.id] if i.groep else []
            self.page(
                "initiative.html", url(i), page="initiatief", title=i.naam, i=i, elsewhere=others[:ELSEWHERE],
                more=len(others) - len(others[:ELSEWHERE]),
            )  # fmt: skip

    def assets(self) -> int:
        src = resources.files("dialoog.platform").joinpath("templates", "assets")
        for name in ("site.css", "zoeken.js"):
            self.write(f"assets/{name}", src.joinpath(name).read_text(encoding="utf-8"))
        index = index_script(build_index(self.items, [g.naam for g in self.gemeenten], url))
        self.write("assets/zoekindex.js", index)
        self.write("data/platform.json", self.export.model_dump_json(indent=1) + "\n")
        self.write("data/platform.csv", to_csv(self.export))
        self.write("data/schema.json", json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n")
        self.write(MARKER, "Built by dialoog platform build; rebuilding replaces this folder.\n")
        return len(index.encode("utf-8"))


def write_site(export: PlatformExport, out: Path) -> SiteResult:
    """Render the site of `export` into `out`; a previous site there is replaced only when complete."""
    out = Path(out).resolve()
    if out.exists() and not (out / MARKER).is_file() and (not out.is_dir() or any(out.iterdir())):
        raise DialoogError(
            "the output folder exists and is not a platform site made by dialoog",
            path=out,
            hint="choose a new or empty folder; an earlier platform site there is replaced",
        )
    with scratch_dir(out.parent) as tmp:
        pages = _Pages(export, tmp / "site")
        pages.overview()
        pages.lists()
        pages.gemeente_pages()
        pages.initiative_pages()
        index_bytes = pages.assets()
        if out.exists():
            os.replace(out, tmp / "old")
        os.replace(tmp / "site", out)
        shutil.rmtree(tmp / "old", ignore_errors=True)
    return SiteResult(out, pages.count, len(export.initiatieven), len(export.gemeenten), index_bytes, 0)


def build_site(
    exports: list[Path], out: Path, decisions: dict[tuple[str, str], bool] | None = None
) -> tuple[SiteResult, MergeResult]:
    """Read and merge `exports`, then build the site into `out`."""
    if not exports:
        raise DialoogError("no exports given", hint="pass one or more FILE.json made by dialoog platform export")
    merged = merge_exports([(Path(p).name, read_export(Path(p))) for p in exports], decisions)
    result = write_site(merged.export, out)
    result.review = len(merged.review)
    return result, merged
