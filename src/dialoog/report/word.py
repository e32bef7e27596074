"""The Word version of a report: a document a municipal officer can edit and publish.

pandoc converts the report's HTML (headings become Word heading styles, figures images with their
alternative text, and ``--toc`` writes a real table-of-contents field that Word fills in with page
numbers). `finish` then makes it a Dutch municipal document: A4 with margins, a header with the title and
a footer with page numbers, the language nl-NL, a font every office PC has, tables whose columns follow
their content with a repeating header row, and the document properties (title, subject, language).
"""

from __future__ import annotations

import io
import re

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

LANGUAGE = "nl-NL"
#: on every Windows and Mac PC; LibreOffice substitutes the metric-compatible Liberation Sans
FONT = "Arial"
PRIMARY = RGBColor(0x1F, 0x5C, 0x6B)
A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)


def pandoc_args(title: str, subject: str) -> list[str]:
    """Metadata and options for pandoc: the title once, a TOC field titled 'Inhoud', Dutch (nl-NL)."""
    return [
        "--toc",
        "--toc-depth=1",
        "--metadata",
        "toc-title=Inhoud",
        "--metadata",
        f"lang={LANGUAGE}",
        "--metadata",
        f"title={title}",
        "--metadata",
        f"subject={subject}",
    ]


def prepare_html(html: str) -> str:
    """The report's HTML for pandoc: without the contents list (Word gets a real one), the styles and the
    heading links, and without the cover's h1 (the title comes from the metadata, once)."""
    html = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", html)
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    html = re.sub(r'<nav[^>]*class="toc"[^>]*>.*?</nav>', "", html, flags=re.S)
    html = re.sub(r'(<header class="cover"[^>]*>.*?)<h1>.*?</h1>', r"\1", html, count=1, flags=re.S)
    return html


def finish(data: bytes, title: str, subject: str) -> bytes:
    """Page set-up, header and footer, language, fonts, table widths and properties of a pandoc DOCX."""
    doc = docx.Document(io.BytesIO(data))
    _page_setup(doc, title)
    _language_and_fonts(doc)
    for table in doc.tables:
        _size_columns(table, A4[0] - 2 * MARGIN)
        _repeat_header_row(table)
    _page_break_before_first_chapter(doc)
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.language = LANGUAGE
    props.author = "dialoog"
    props.keywords = "LHBT, dialooggesprekken, gemeente"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc, title: str) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1.2)
        section.different_first_page_header_footer = True  # the cover has no header or footer
        header = section.header.paragraphs[0]
        header.text = title
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _small(header)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Pagina ")
        _field(footer, "PAGE", "1")
        footer.add_run(" van ")
        _field(footer, "NUMPAGES", "1")
        _small(footer)


def _small(paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0x4C, 0x5A, 0x64)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs."""

    def fld(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        return run

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _language_and_fonts(doc) -> None:
    """nl-NL and Arial in the document defaults and in every style that names a language or font."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_fonts(rpr)
    _set_lang(rpr)
    for element in styles.iter(qn("w:rPr")):
        if element.find(qn("w:rFonts")) is not None:
            _set_fonts(element)
        if element.find(qn("w:lang")) is not None:
            _set_lang(element)
    for name, size in (("Title", 24), ("Heading 1", 17), ("Heading 2", 13.5), ("Heading 3", 12)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = PRIMARY
    doc.styles["Normal"].font.size = Pt(10.5)


def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


#: table text size, and the width of an average character of Arial at that size (with a cell's padding)
TABLE_PT = 8.5
CHAR_CM = 0.165
PADDING_CM = 0.25
CELL_MARGIN_TWIPS = 57  # 0.1 cm left and right inside each cell


def column_widths(rows: list[list[str]], available_cm: float) -> list[float]:
    """Column widths in cm from the content: every column gets at least its longest word (so no word is
    broken), then the room left goes to the columns with long texts, up to a line of about 40 characters."""
    if not rows:
        return []
    n = max(len(r) for r in rows)
    minimum, desired = [], []
    for j in range(n):
        texts = [r[j] if j < len(r) else "" for r in rows]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        longest_text = min(max((len(t) for t in texts), default=1), 40)
        minimum.append(longest_word * CHAR_CM + PADDING_CM)
        desired.append(max(longest_word, longest_text) * CHAR_CM + PADDING_CM)
    if sum(minimum) >= available_cm:  # too many long words: shrink in proportion (rare)
        return [available_cm * m / sum(minimum) for m in minimum]
    extra = [d - m for d, m in zip(desired, minimum, strict=True)]
    room = available_cm - sum(minimum)
    if sum(extra) <= room:  # everything fits on one line: share the rest evenly over the wanting columns
        widths = desired
        spare = (available_cm - sum(desired)) / n
        return [w + spare for w in widths]
    return [m + room * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _size_columns(table, width) -> None:
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    widths_cm = column_widths(rows, width / 360000)  # EMU per cm
    if not widths_cm:
        return
    widths = [Cm(w) for w in widths_cm]
    tbl = table._tbl
    props = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        old = props.find(qn(tag))
        if old is not None:
            props.remove(old)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(sum(widths) // 635))  # EMU -> twentieths of a point
    tbl_w.set(qn("w:type"), "dxa")
    props.append(tbl_w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # the widths computed here, in every program
    props.append(layout)
    margins = props.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        props.append(margins)
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(w // 635))
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            cell.width = w
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TABLE_PT)


def _repeat_header_row(table) -> None:
    """The first row is a header row that Word repeats on every page (and announces as headers)."""
    if not table.rows:
        return
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)


def _page_break_before_first_chapter(doc) -> None:
    """The cover, then the contents on a page of their own, then every chapter on a new page."""
    body = doc.element.body
    toc = next(iter(body.iter(qn("w:sdt"))), None)  # pandoc's table of contents
    chapters = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    if toc is not None and chapters:
        chapters[0]._p.addprevious(toc)  # after the cover text, before the first chapter
        paragraph = OxmlElement("w:p")
        run = OxmlElement("w:r")
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        run.append(br)
        paragraph.append(run)
        toc.addprevious(paragraph)
        _fill_toc(toc, [p.text for p in chapters])
    for paragraph in chapters:
        paragraph.paragraph_format.page_break_before = True


def _fill_toc(toc, titles: list[str]) -> None:
    """Put the chapter titles in the contents field's result, so that the contents show in any program
    before the field is updated (Word updates it, with page numbers, when the document opens)."""
    end = next((c for c in toc.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "end"), None)
    if end is None or not titles:
        return
    field_paragraph = end.getparent().getparent()
    end_run = end.getparent()
    end_run.remove(end)
    first = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = titles[0]
    first.append(text)
    end_run.addnext(first)
    last = field_paragraph
    for title in titles[1:]:
        paragraph = OxmlElement("w:p")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = title
        run.append(text)
        paragraph.append(run)
        last.addnext(paragraph)
        last = paragraph
    closing = OxmlElement("w:r")
    closing.append(end)
    last.append(closing)
