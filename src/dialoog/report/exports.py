"""Exports of an executed report: HTML (nbconvert), PDF (WeasyPrint), DOCX (pandoc) and the leaflet."""

from __future__ import annotations

import atexit
import io
import logging
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.report.formats import DEFAULT_FORMATS, TEMPLATES

log = logging.getLogger(__name__)

# -- the output formats -----------------------------------------------------------------------------

_pdf_lock = threading.Lock()


def pdf_unavailable() -> str | None:
    """Why PDFs cannot be made here (WeasyPrint or its system libraries missing), or None when they can."""
    try:
        import weasyprint  # noqa: F401 - loads Pango through cffi
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot run ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})"
    return None


PDF_HINT = (
    "install Pango: on Debian/Ubuntu 'apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core', "
    "on macOS 'brew install pango'; conda users get it with weasyprint from conda-forge"
)


def usable_formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    """The formats to render. By default all four, leaving out the PDFs (with a warning) where WeasyPrint
    cannot run; PDFs asked for explicitly are an error there."""
    explicit = formats is not None
    chosen = tuple(formats) if explicit else DEFAULT_FORMATS
    if not {"pdf", "leaflet"} & set(chosen):
        return chosen
    reason = pdf_unavailable()
    if reason is None:
        return chosen
    if explicit:
        raise DialoogError(f"cannot make PDFs: {reason}", key="--formats", hint=PDF_HINT)
    log.warning("PDF and leaflet left out: %s; %s", reason, PDF_HINT)
    return tuple(f for f in chosen if f not in {"pdf", "leaflet"})


def html_to_pdf(html: str) -> bytes:
    """Typeset HTML with WeasyPrint (A4, page numbers and cover from the print stylesheet)."""
    import weasyprint

    # The stylesheet is shared with the screen; WeasyPrint warns about the screen-only media queries.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with _pdf_lock:  # WeasyPrint is not thread-safe; workers are processes, this guards threads
        pdf = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")
    return scope_table_headers(pdf)


def scope_table_headers(pdf: bytes) -> bytes:
    """Give every table header cell of a tagged PDF its /Scope (PDF/UA-1 7.5): /Column for the cells of a
    header row (THead, or a first row of header cells only), /Row for a header cell that starts a body row.

    WeasyPrint tags tables (Table, THead, TBody, TR, TH, TD with /Headers) but leaves /Scope out; screen
    readers need it to announce the header of each cell.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        for row, in_head in _table_rows(root):
            cells = [c for c in _kids(row) if c.get("/S") in (pikepdf.Name.TH, pikepdf.Name.TD)]
            all_headers = all(c.get("/S") == pikepdf.Name.TH for c in cells)
            for cell in cells:
                if cell.get("/S") != pikepdf.Name.TH:
                    continue
                scope = pikepdf.Name.Column if in_head or all_headers else pikepdf.Name.Row
                attrs = cell.get("/A")
                if not isinstance(attrs, pikepdf.Dictionary):
                    attrs = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    cell.A = attrs
                attrs.O = pikepdf.Name.Table
                attrs.Scope = scope
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _kids(element) -> list:
    import pikepdf

    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        return [k for k in kids if isinstance(k, pikepdf.Dictionary)]
    return [kids] if isinstance(kids, pikepdf.Dictionary) else []


def _table_rows(root):
    """(row, whether it is in a THead) for every TR of the structure tree, iteratively (deep trees)."""
    import pikepdf

    stack = [(root, False)]
    while stack:
        element, in_head = stack.pop()
        kind = element.get("/S")
        if kind == pikepdf.Name.TR:
            yield element, in_head
            continue
        stack.extend((k, in_head or kind == pikepdf.Name.THead) for k in _kids(element))


_reference_docx: dict[str, str] = {}


def reference_docx() -> str:
    """A pandoc reference document in dialoog's style (fonts and colours of the report), made once."""
    path = _reference_docx.get("path")
    if path and os.path.exists(path):
        return path
    import docx
    import pypandoc
    from docx.shared import Pt, RGBColor

    raw = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    ).stdout
    doc = docx.Document(io.BytesIO(raw))
    primary = RGBColor(0x1F, 0x5C, 0x6B)
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in doc.styles]:
            doc.styles[name].font.name = "Liberation Sans"
    doc.styles["Normal"].font.size = Pt(10.5)
    for name, size in [("Title", 26), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)]:
        style = doc.styles[name]
        style.font.name = "DejaVu Sans"
        style.font.color.rgb = primary
        style.font.size = Pt(size)
    fd, path = tempfile.mkstemp(prefix="dialoog-reference-", suffix=".docx")
    with os.fdopen(fd, "wb") as fh:
        doc.save(fh)
    atexit.register(lambda: os.path.exists(path) and os.unlink(path))
    _reference_docx["path"] = path
    return path


def html_to_docx(html: str) -> bytes:
    """An editable Word document (see `dialoog.report.word`): A4, Word heading styles, a real table of
    contents, header and footer with page numbers, nl-NL, tables sized to their content."""
    import html as html_mod

    import pypandoc

    from dialoog.report import word

    m = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    title = html_mod.unescape(m.group(1).strip()) if m else "Rapport"
    m = re.search(r'<p class="cover-kicker">(.*?)</p>', html, flags=re.S)
    subject = html_mod.unescape(re.sub(r"<[^>]+>", "", m.group(1)).strip()) if m else title
    with tempfile.TemporaryDirectory(prefix="dialoog-docx-") as tmp:
        out = Path(tmp) / "report.docx"
        pypandoc.convert_text(
            word.prepare_html(html),
            "docx",
            format="html",
            outputfile=str(out),
            extra_args=[
                "--reference-doc",
                reference_docx(),
                "--shift-heading-level-by=-1",
                *word.pandoc_args(title, subject),
            ],
        )
        return word.finish(out.read_bytes(), title, subject)


def leaflet_html(study: str, gemeente: str) -> str:
    """The leaflet "LHBT <gemeente>" as HTML: an A4 sheet in landscape, two sides, folded to A5."""
    import jinja2

    from dialoog.report import perspectieven
    from dialoog.study import reportfiles

    data = perspectieven.load(study, gemeente)
    files = perspectieven.report_files(data)
    kinds = reportfiles.CONTACT_KINDS
    contacts = [(kinds[k], [c for c in files.contacts if c.kind == k]) for k in kinds]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES / "leaflet"), str(TEMPLATES / "style")]),
        autoescape=True,
    )
    page = env.get_template("leaflet.html.j2").render(
        gemeente=data.gemeente.name,
        findings=perspectieven.key_findings(data, quote_chars=100)[:5],
        goals=files.goals,
        contacts=[(title, items) for title, items in contacts if items],
        fictional=data.fictional or bool(files.goals and files.goals.fictional),
        n_interviews=len(data.interviews),
    )
    from dialoog.report.dutch import Term

    return Term.of(data).apply(page)
