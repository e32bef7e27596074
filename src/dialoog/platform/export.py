"""Export a study's public inventory in the platform format (JSON or CSV), and read exports back.

What leaves the study: per initiative what its register says (name, organisations, doelgroepen, theme,
kind, status and years, doel, aanpak, what works and what does not, werkzame elementen, evaluation,
a contact organisation) and per municipality its gaps. Never a person, never transcript text except
fragments the register lists under `publiceerbare_citaten` (attributed to the respondent role only),
never an initiative marked `publiceerbaar: false`. Interview counts below the study's
`small_cell_threshold` appear only as "< N"; a need names its wijk only when at least that many
interviews are behind it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pydantic

from dialoog import __version__
from dialoog.errors import DialoogError, ValidationError
from dialoog.fileio import atomic_write_text
from dialoog.inventory import registers as inv_mod
from dialoog.platform.model import (
    THEMES,
    Bron,
    Citaat,
    Evaluatie,
    GemeenteExport,
    Herkomst,
    Initiatief,
    LegePlek,
    PlatformExport,
)
from dialoog.platform.registerfields import InitiativeFields, load_fields
from dialoog.privacy.disclosure import display_count
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente
from dialoog.study.transcripts import ROLES

#: exports larger than this are refused unread (a real one for 342 municipalities is far smaller)
MAX_BYTES = 200 * 1024 * 1024

_GROUP_THEMES = {
    "jongeren": "jongeren",
    "ouderen": "ouderen",
    "vluchtelingen": "asiel-en-nieuwkomers",
    "bi": "bi-trans-intersekse",
    "trans": "bi-trans-intersekse",
    "intersekse": "bi-trans-intersekse",
}
_ORG_THEMES = {
    "politie": "veiligheid",
    "roze-in-blauw": "veiligheid",
    "meldpunt": "veiligheid",
    "buurtbemiddeling": "veiligheid",
    "school": "onderwijs",
    "zorg": "zorg",
    "sport": "sport",
}


def derive_themes(doelgroepen: list[str], soort: str = "", org_kinds: list[str] = ()) -> list[str]:
    """Themes for a register entry without `thema`: from its doelgroepen, kind and organisations."""
    found = {_GROUP_THEMES[g] for g in doelgroepen if g in _GROUP_THEMES}
    found |= {_ORG_THEMES[k] for k in org_kinds if k in _ORG_THEMES}
    if soort == "melden":
        found.add("veiligheid")
    return [t for t in THEMES if t in found]


def _interviews(study: Study, links) -> int:
    """Distinct interviews with consent behind a list of fragment links."""
    ids = {link.transcript for link in links}
    return sum(1 for t in ids if t in study.transcripts and study.transcripts[t].meta.get("consent") is True)


def _quotes(study: Study, links: list[str], path: Path, line: int | None, where: str) -> list[Citaat]:
    spans = inv_mod.coded_spans(study)
    out = []
    for raw in links:
        m = inv_mod.LINK_RE.match(raw)
        t = study.transcripts.get(m.group(1)) if m else None
        start, end = (int(m.group(2)), int(m.group(3))) if m else (0, 0)
        ok = t is not None and t.meta.get("consent") is True and t.meta.get("pseudonymised") is True
        if not ok or (m.group(1), start, end) not in spans:
            raise DialoogError(
                "a publishable quote must be a coded fragment of a transcript with consent that is pseudonymised",
                path=path,
                line=line,
                key=f"{where}.publiceerbare_citaten",
                hint="link to the exact span of a coding; pseudonymise first (dialoog pseudonymise)",
            )
        out.append(Citaat(tekst=t.body[start:end], rol=ROLES.get(str(t.meta.get("respondent")), "Respondent")))
    return out


def _initiative(
    study: Study, inv, init, fields: InitiativeFields, herkomst: Herkomst, where: str, line: int | None = None
) -> Initiatief:
    orgs = {o.id: o for o in inv.organisations}
    run_by = [init.organisatie, *fields.partners]
    threshold = study.settings.small_cell_threshold
    ev = fields.evaluatie
    return Initiatief(
        id=f"{inv.gemeente.slug}/{init.id}",
        naam=init.naam,
        gemeente=inv.gemeente.name,
        gemeente_code=inv.gemeente.code,
        wijken=[w for w in init.wijken if w != inv_mod.WHOLE],
        organisaties=[orgs[o].naam for o in dict.fromkeys(run_by) if o in orgs],
        doelgroepen=init.doelgroepen,
        themas=fields.thema
        or derive_themes(init.doelgroepen, init.soort, [orgs[o].soort for o in run_by if o in orgs]),
        soort=init.soort,
        status=init.status,
        sinds=init.sinds,
        tot=init.tot,
        doel=fields.doel,
        aanpak=fields.aanpak,
        werkt=init.werkt,
        werkt_niet=init.werkt_niet,
        werkzame_elementen=fields.werkzame_elementen,
        evaluatie=Evaluatie(**ev.model_dump()) if ev else None,
        contact_organisatie=orgs[fields.contact_organisatie].naam if fields.contact_organisatie in orgs else "",
        ook_bekend_als=init.aliassen,
        vermeld_in_gesprekken=display_count(_interviews(study, init.fragmenten), threshold),
        citaten=_quotes(study, fields.publiceerbare_citaten, inv.folder / "initiatieven.yaml", line, where),
        herkomst=[herkomst],
    )


def _gaps(study: Study, inv, fields, published: set[str]) -> list[LegePlek]:
    """The gap rules of the inventory, in public form."""
    threshold = study.settings.small_cell_threshold
    labels = inv_mod.TARGET_GROUPS
    gaps = []
    for n in inv_mod.unanswered_needs(inv):
        nf = fields.needs.get(n.id)
        wijk_ok = _interviews(study, n.fragmenten) >= threshold  # never tie a wijk to a small count
        gaps.append(
            LegePlek(
                soort="behoefte",
                omschrijving=n.behoefte,
                doelgroepen=n.doelgroepen,
                themas=(nf.thema if nf and nf.thema else derive_themes(n.doelgroepen)),
                wijken=[w for w in n.wijken if w != inv_mod.WHOLE] if wijk_ok else [],
            )
        )
    for init, n in inv_mod.stopped_while_needed(inv):
        if init.id not in published:
            continue
        gaps.append(
            LegePlek(
                soort="gestopt",
                omschrijving=f"{init.naam} is gestopt{f' in {init.tot}' if init.tot else ''}; "
                f"de behoefte blijft: {n.behoefte}",
                doelgroepen=n.doelgroepen,
                themas=derive_themes(n.doelgroepen, init.soort),
                initiatief=f"{inv.gemeente.slug}/{init.id}",
            )
        )
    for g in inv_mod.groups_without_initiative(inv):
        gaps.append(
            LegePlek(
                soort="doelgroep",
                omschrijving=f"Geen lopend initiatief voor {labels[g]}",
                doelgroepen=[g],
                themas=derive_themes([g]),
            )
        )
    empty = inv_mod.wijken_without_initiative(inv)
    if empty:
        gaps.append(
            LegePlek(soort="wijken", omschrijving="Wijken zonder initiatief in de wijk zelf", wijken=list(empty))
        )
    for o in inv_mod.unconnected_organisations(inv):
        gaps.append(
            LegePlek(
                soort="organisatie",
                omschrijving=f"{o.naam} ({inv_mod.ORG_KINDS[o.soort]}) heeft geen band met het LHBT-netwerk",
                doelgroepen=["professionals"],
                themas=[_ORG_THEMES[o.soort]] if o.soort in _ORG_THEMES else [],
            )
        )
    names = {o.id: o.naam for o in inv.organisations}
    for t in inv_mod.missing_ties(inv):
        gaps.append(
            LegePlek(
                soort="band",
                omschrijving=f"Geen {inv_mod.TIE_KINDS[t.soort]} tussen {names[t.van]} en {names[t.naar]}",
                doelgroepen=["professionals"],
            )
        )
    return gaps


def _publisher(gemeenten: list[Gemeente]) -> str:
    if len(gemeenten) == 1:
        return f"Gemeente {gemeenten[0].name}"
    names = [g.name for g in gemeenten]
    return "Gemeenten " + ", ".join(names[:-1]) + " en " + names[-1]


def export_study(
    study: Study, gemeenten: list[str] | None = None, uitgever: str | None = None, datum: dt.date | None = None
) -> PlatformExport:
    """The public inventory of `gemeenten` (default: every gemeente of the study with registers)."""
    if gemeenten:
        chosen = [study.gemeente(g) for g in gemeenten]
    else:
        chosen = [g for g in map(study.gemeente, study.gemeente_slugs()) if inv_mod.folder(study, g).is_dir()]
    if not chosen:
        raise DialoogError(
            "the study has no inventory registers to export",
            path=study.root / inv_mod.FOLDER,
            hint="create them with: dialoog inventory --init --gemeente NAME",
        )
    datum = datum or dt.date.today()
    herkomst = Herkomst(uitgever=uitgever or _publisher(chosen), datum=datum)
    fictief, out_g, out_i = False, [], []
    for g in chosen:
        inv = inv_mod.load(study, g)
        if not inv.exists:
            raise DialoogError(
                f"{g.name} has no inventory registers",
                path=inv.folder,
                hint=f"create them with: dialoog inventory --init --gemeente {g.slug}",
            )
        fields = load_fields(study, g, {o.id for o in inv.organisations})
        fictief = fictief or fields.fictief
        published = set()
        for n, init in enumerate(inv.initiatives, start=1):
            f = fields.initiatives.get(init.id, InitiativeFields())
            if f.publiceerbaar:
                line = fields.quote_lines.get(init.id)
                out_i.append(_initiative(study, inv, init, f, herkomst, f"initiatieven[{n}]", line))
                published.add(init.id)
        out_g.append(
            GemeenteExport(
                naam=g.name,
                code=g.code,
                slug=g.slug,
                fictief=fields.fictief,
                lege_plekken=_gaps(study, inv, fields, published),
                herkomst=[herkomst],
            )
        )
    bron = Bron(**herkomst.model_dump(), dialoog_versie=__version__, fictief=fictief)
    return PlatformExport(bronnen=[bron], gemeenten=out_g, initiatieven=out_i)


# -- files -------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id", "naam", "gemeente", "gemeente_code", "wijken", "organisaties", "doelgroepen", "themas", "soort",
    "status", "sinds", "tot", "doel", "aanpak", "werkt", "werkt_niet", "werkzame_elementen", "evaluatie_vorm",
    "evaluatie_jaar", "evaluatie_samenvatting", "evaluatie_bron", "contact_organisatie", "vermeld_in_gesprekken",
    "ook_bekend_als", "citaten", "groep", "herkomst",
]  # fmt: skip


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "@", "\t", "\r") else text  # no spreadsheet formulas


def to_csv(export: PlatformExport) -> str:
    """One row per initiative; lists joined with '; '."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for i in export.initiatieven:
        row = i.model_dump(mode="json", exclude={"evaluatie", "citaten", "herkomst"})
        ev = i.evaluatie
        row |= {
            "evaluatie_vorm": ev.vorm if ev else "",
            "evaluatie_jaar": ev.jaar if ev else "",
            "evaluatie_samenvatting": ev.samenvatting if ev else "",
            "evaluatie_bron": ev.bron if ev else "",
            "citaten": "; ".join(f"{c.rol}: {c.tekst}" for c in i.citaten),
            "herkomst": "; ".join(f"{h.uitgever} ({h.datum.isoformat()})" for h in i.herkomst),
        }
        w.writerow({k: _cell("; ".join(map(str, v)) if isinstance(v, list) else v) for k, v in row.items()})
    return buf.getvalue()


def write_export(export: PlatformExport, path: Path) -> None:
    """Write `export` as JSON (``.json``) or CSV (``.csv``), atomically."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        atomic_write_text(path, to_csv(export))
    elif path.suffix.lower() == ".json":
        atomic_write_text(path, export.model_dump_json(indent=2) + "\n")
    else:
        raise DialoogError("unknown output format", path=path, hint="name the output FILE.json or FILE.csv")


def read_export(path: Path) -> PlatformExport:
    """Read and validate a platform export (JSON); every problem names the file and key, never a value."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("no such export file", path=path)
    if path.stat().st_size > MAX_BYTES:
        raise DialoogError(f"the export is larger than {MAX_BYTES // 2**20} MB", path=path, hint="split it")
    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise DialoogError("not valid JSON", path=path, line=line, hint="is this a platform export?") from None
    if not isinstance(data, dict) or data.get("formaat") != "dialoog-platform":
        raise DialoogError(
            "not a dialoog platform export", path=path, key="formaat", hint="made by: dialoog platform export"
        )
    try:
        return PlatformExport.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        problems = [DialoogError(e["msg"], path=path, key=".".join(str(x) for x in e["loc"])) for e in errors[:20]]
        if len(errors) > 20:
            problems.append(DialoogError(f"... and {len(errors) - 20} more problems", path=path))
        raise ValidationError(problems) from None
