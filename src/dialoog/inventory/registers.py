"""The inventory of a municipality: initiatives, needs and the local network, and their gaps.

Three YAML files per municipality, written and edited by researchers and policy officers::

    inventaris/<gemeente-slug>/initiatieven.yaml   what exists (or existed), who runs it, for whom, where
    inventaris/<gemeente-slug>/behoeften.yaml      needs and questions from the interviews, and what answers them
    inventaris/<gemeente-slug>/netwerk.yaml        organisations and roles, their ties, and the expected ties

Each file is validated on load against its schema (`dialoog.study.schemas.inventaris`: the vocabularies,
the CBS wijken of the municipality, and the study's transcripts and codings); each problem names the file,
line and key, and loading fails when there is any problem, so nothing is silently dropped. Links to
interview fragments are written ``<transcript-id>:<start>-<end>`` and must be the span of a coding in
``codings/``. The gap rules are in `gaps` and `network`; their names are importable from here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic

from dialoog.errors import DialoogError, ValidationError
from dialoog.fileio import atomic_write_text
from dialoog.inventory.gaps import (
    coverage_matrix,
    export_excel,
    gaps_table,
    groups_without_initiative,
    initiatives_table,
    need_coverage,
    stopped_while_needed,
    unanswered_needs,
    wijken_without_initiative,
)
from dialoog.inventory.model import (
    FILES,
    FOLDER,
    KINDS,
    LINK_RE,
    NEEDS_CODE,
    ORG_KINDS,
    STATUSES,
    TARGET_GROUPS,
    TIE_KINDS,
    WHOLE,
    Initiative,
    Inventory,
    Link,
    Need,
    Organisation,
    Tie,
    folder,
)
from dialoog.inventory.network import (
    lhbt_network,
    missing_ties,
    organisations_table,
    ties_table,
    unconnected_organisations,
)
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente, wijken
from dialoog.study.schemas.inventaris import PLATFORM_KEYS, InitiativesFile, NeedsFile, NetworkFile
from dialoog.study.yamlload import line_at, load_yaml, read_text, validate

__all__ = [
    "FILES",
    "FOLDER",
    "KINDS",
    "NEEDS_CODE",
    "ORG_KINDS",
    "STATUSES",
    "TARGET_GROUPS",
    "TIE_KINDS",
    "WHOLE",
    "Initiative",
    "Inventory",
    "Link",
    "Need",
    "Organisation",
    "Tie",
    "coverage_matrix",
    "export_excel",
    "folder",
    "gaps_table",
    "groups_without_initiative",
    "init_folder",
    "initiatives_table",
    "lhbt_network",
    "load",
    "missing_ties",
    "need_coverage",
    "organisations_table",
    "stopped_while_needed",
    "ties_table",
    "unanswered_needs",
    "unconnected_organisations",
    "wijken",
    "wijken_without_initiative",
]


# -- loading and validation -----------------------------------------------------------------------


def _link(text: str) -> Link:
    m = LINK_RE.match(text)
    assert m is not None  # the schema checked it
    return Link(m.group(1), int(m.group(2)), int(m.group(3)))


def _read(path: Path, model: type[pydantic.BaseModel], context: dict, problems: list[DialoogError]) -> tuple[Any, Any]:
    """(the validated file or None, its parsed YAML); problems are collected, not raised."""
    if not path.is_file():
        return None, None
    try:
        data = load_yaml(read_text(path), path)
        if data is None:  # an empty file is an empty register
            return None, None
        return validate(data, model, path, context=context), data
    except ValidationError as exc:
        problems.extend(exc.problems)
    except DialoogError as exc:
        problems.append(exc)
    return None, None


def _network(net: NetworkFile | None, data: Any) -> tuple[list[Organisation], list[Tie], list[Tie]]:
    if net is None:
        return [], [], []
    orgs = [
        Organisation(o.id, o.naam, o.soort, o.lhbt_netwerk, list(o.aliassen), line_at(data, ("organisaties", i)))
        for i, o in enumerate(net.organisaties)
    ]
    ties = {
        key: [
            Tie(t.van, t.naar, t.soort, [_link(f) for f in t.fragmenten], t.toelichting, line_at(data, (key, i)))
            for i, t in enumerate(getattr(net, key))
        ]
        for key in ("banden", "verwacht")
    }
    return orgs, ties["banden"], ties["verwacht"]


def _initiatives(inits: InitiativesFile | None, data: Any) -> tuple[list[Initiative], list[Link]]:
    if inits is None:
        return [], []
    out = [
        Initiative(
            **i.model_dump(exclude={"fragmenten", "toelichting", *PLATFORM_KEYS}),
            fragmenten=[_link(f) for f in i.fragmenten],
            line=line_at(data, ("initiatieven", n)),
        )
        for n, i in enumerate(inits.initiatieven)
    ]
    return out, [_link(f) for f in inits.beoordeeld]


def _needs(needs: NeedsFile | None, data: Any) -> list[Need]:
    if needs is None:
        return []
    return [
        Need(
            **n.model_dump(exclude={"fragmenten", "toelichting", "thema"}),
            fragmenten=[_link(f) for f in n.fragmenten],
            line=line_at(data, ("behoeften", i)),
        )
        for i, n in enumerate(needs.behoeften)
    ]


def load(study: Study, gemeente: Gemeente) -> Inventory:
    """Load and validate the inventory of `gemeente`; raise ValidationError listing every problem.

    A municipality without an ``inventaris/<slug>/`` folder gets an empty inventory (`exists` is False).
    """
    base = folder(study, gemeente)
    problems: list[DialoogError] = []
    # one context for the three files, in this order: initiatives refer to organisations, needs to initiatives
    context: dict[str, Any] = {
        "gemeente": gemeente,
        "transcripts": set(study.transcripts),
        "spans": coded_spans(study),
        "organisations": set(),
        "initiatives": set(),
    }
    net, net_data = _read(base / "netwerk.yaml", NetworkFile, context, problems)
    inits, inits_data = _read(base / "initiatieven.yaml", InitiativesFile, context, problems)
    needs_context = {**context, "need_codes": need_code_family(study, NEEDS_CODE)}
    needs, needs_data = _read(base / "behoeften.yaml", NeedsFile, needs_context, problems)
    if problems:
        raise ValidationError(problems)
    orgs, ties, expected = _network(net, net_data)
    initiatives, reviewed = _initiatives(inits, inits_data)
    return Inventory(gemeente, base, initiatives, _needs(needs, needs_data), orgs, ties, expected, reviewed)


TEMPLATES = {
    "initiatieven.yaml": """\
# Initiatieven in {name}. Eén blok per initiatief; `dialoog inventory --study .` controleert het bestand.
# soort: {kinds}
# doelgroepen: {groups}
# wijken: '{whole}' (de hele gemeente) of CBS-wijken; status: idee, lopend of gestopt
# fragmenten: gecodeerde fragmenten als <transcript-id>:<start>-<end>
# beoordeeld: fragmenten die `dialoog inventory` voorstelde maar die geen initiatief van deze gemeente noemen
initiatieven: []
beoordeeld: []
""",
    "behoeften.yaml": """\
# Vragen en behoeften in {name}, uit fragmenten met de code '{needs}'.
# beantwoord_door: ids van initiatieven uit initiatieven.yaml
behoeften: []
""",
    "netwerk.yaml": """\
# Het lokale netwerk in {name}: organisaties en rollen, hun banden, en de banden die er zouden moeten zijn.
# soort (organisatie): {org_kinds}
# soort (band): {tie_kinds}
# lhbt_netwerk: true voor organisaties die zelf tot het LHBT-netwerk horen (COC, Roze in Blauw, meldpunt)
organisaties: []
banden: []
verwacht: []
""",
}


def init_folder(study: Study, gemeente: Gemeente) -> list[Path]:
    """Create empty, commented register files for `gemeente`; existing files are left alone."""
    base = folder(study, gemeente)
    written = []
    for name, template in TEMPLATES.items():
        path = base / name
        if path.exists():
            continue
        atomic_write_text(
            path,
            template.format(
                name=gemeente.name,
                kinds=", ".join(KINDS),
                groups=", ".join(TARGET_GROUPS),
                whole=WHOLE,
                needs=NEEDS_CODE,
                org_kinds=", ".join(ORG_KINDS),
                tie_kinds=", ".join(TIE_KINDS),
            ),
        )
        written.append(path)
    return written


def need_code_family(study: Study, code: str) -> set[str]:
    try:
        return {code, *study.codebook.descendants(code)}
    except (KeyError, DialoogError):
        return {code}


def coded_spans(study: Study) -> dict[tuple[str, int, int], set[str]]:
    """(transcript, start, end) of every valid coding, with the codes given to that span."""
    out: dict[tuple[str, int, int], set[str]] = {}
    for c in study.codings:
        out.setdefault((c.transcript, c.start, c.end), set()).add(c.code)
    return out
