"""Reading raw files into one source text: .txt, .md, .docx, .odt, .pdf, .rtf (.srt and .vtt: subtitles.py).

The source text of a file is what a researcher sees in it: a text file's characters (line ends as LF, no
byte-order mark), the paragraphs of a Word or OpenDocument file (tables row by row, cells separated by a
tab) one per line, the text layer of a PDF (pages separated by a blank line), the text of an RTF file.
Archives (.docx, .odt and .qdpx are zips) are checked before they are opened: no member may unpack to
more than `MAX_MEMBER` bytes or at a ratio over `MAX_RATIO` (zip bombs). A file that cannot be read is a
`DialoogError` naming the file and what to do; it is never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError
from dialoog.exchange.offsets import DecodeError, decode_text

MAX_MEMBER = 256 * 1024 * 1024  # bytes one archive member may unpack to
MAX_RATIO = 200  # uncompressed / compressed size of a member (over 1 MB)
TEXT_FORMATS = (".txt", ".md")
SUPPORTED = (".txt", ".md", ".docx", ".odt", ".pdf", ".rtf", ".srt", ".vtt")


@dataclass
class SourceFile:
    text: str
    format: str  # txt, md, docx, ...
    encoding: str | None = None
    per_line: bool | None = None  # every line is a paragraph (Word/ODT paragraphs)
    skip: int = 0  # characters at the start that are not text (Markdown front matter)


def check_zip(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse an archive with a member that unpacks too large or at a suspicious ratio."""
    for info in zf.infolist():
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise DialoogError(
                f"refused: a member of this archive unpacks to {info.file_size // (1024 * 1024)} MB "
                f"(ratio {ratio:.0f}:1); limits are {MAX_MEMBER // (1024 * 1024)} MB and {MAX_RATIO}:1",
                path=path,
                hint="this looks like a damaged or malicious file; export it again from its program",
            )


def _open_zip(path: Path, what: str, data: bytes | None = None) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            check_zip(zf, path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise DialoogError(
            f"cannot read this {what} file (it is not a valid zip archive)",
            path=path,
            hint=f"open it in its program and save it again as {path.suffix}",
        ) from None


def decode(data: bytes, path: Path) -> tuple[str, str, bool]:
    try:
        return decode_text(data)
    except DecodeError as exc:
        hint = "open it in a text editor and save it as UTF-8"
        if "binary" in str(exc):
            hint = "save it as .txt, .docx or .odt"
        raise DialoogError(str(exc), path=path, line=exc.line, hint=hint) from None


def _canonical(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _xml_error(path: Path, what: str, exc: Exception) -> DialoogError:
    line = getattr(exc, "lineno", None)
    return DialoogError(
        f"cannot read this {what} file: its XML is broken ({type(exc).__name__}"
        + (f" at line {line} of the part inside the archive)" if line else ")"),
        path=path,
        hint=f"open it in its program and save it again as {path.suffix}",
    )


def docx_text(path: Path, data: bytes | None = None) -> str:
    """The paragraphs (and table rows) of a Word file in document order, one per line (`data`: the file's
    bytes when it is inside another archive; `path` then names it in messages)."""
    import docx  # python-docx
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from lxml import etree

    _open_zip(path, "Word", data)
    try:
        document = docx.Document(io.BytesIO(data) if data is not None else str(path))
        lines: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    seen: list[Any] = []
                    cells = []
                    for cell in row.cells:
                        if cell._tc not in seen:  # a merged cell is listed once per grid column
                            seen.append(cell._tc)
                            cells.append(cell.text)
                    lines.append("\t".join(cells))
            else:
                lines.append(item.text)
    except etree.XMLSyntaxError as exc:
        raise _xml_error(path, "Word", exc) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError) as exc:
        raise DialoogError(
            f"cannot read this Word file ({type(exc).__name__})",
            path=path,
            hint="open it in Word or LibreOffice and save it again as .docx",
        ) from None
    return _canonical("\n".join(lines))


def _check_odt_xml(path: Path) -> None:
    """Parse the XML parts of an OpenDocument file first: odfpy does not raise on broken XML."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(path) as zf:
        names = {n.lower(): n for n in zf.namelist()}
        for part in ("content.xml", "styles.xml", "meta.xml"):
            if part in names:
                try:
                    etree.fromstring(zf.read(names[part]), parser)
                except etree.XMLSyntaxError as exc:
                    raise DialoogError(
                        f"cannot read this OpenDocument file: the XML of {part} is broken (line {exc.lineno})",
                        path=path,
                        hint="open it in LibreOffice and save it again as .odt",
                    ) from None


def odt_text(path: Path) -> str:
    from xml.parsers.expat import ExpatError
    from xml.sax import SAXParseException

    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    _open_zip(path, "OpenDocument")
    _check_odt_xml(path)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # odfpy prints a damaged part, text and all
            document = load(str(path))
    except (SAXParseException, ExpatError) as exc:
        raise _xml_error(path, "OpenDocument", exc) from None
    except Exception as exc:  # odfpy raises many kinds for damaged files
        raise DialoogError(
            f"cannot read this OpenDocument file ({type(exc).__name__})",
            path=path,
            hint="open it in LibreOffice and save it again as .odt",
        ) from None
    if document.text is None:
        raise DialoogError(
            "cannot read this OpenDocument file: it has no text body",
            path=path,
            hint="open it in LibreOffice and save it again as .odt",
        )
    lines: list[str] = []
    stack = [iter(document.text.childNodes)]
    while stack:  # paragraphs and headings in document order, without recursion
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif getattr(child, "qname", None) in {(TEXTNS, "p"), (TEXTNS, "h")}:
            lines.append(teletype.extractText(child))
        elif child.nodeType == child.ELEMENT_NODE:
            stack.append(iter(child.childNodes))
    return _canonical("\n".join(lines))


def pdf_text(path: Path) -> str:
    """The text layer of a PDF (pages separated by a blank line); an error for a PDF without one."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DialoogError("this PDF is protected by a password", path=path, hint="save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DialoogError:
        raise
    except Exception as exc:  # pypdf raises many kinds for damaged files
        raise DialoogError(
            f"cannot read this PDF ({type(exc).__name__})", path=path, hint="export it again, or save it as .docx"
        ) from None
    text = _canonical("\n\n".join(p.strip("\n") for p in pages))
    if not text.strip():
        raise DialoogError(
            f"this PDF has no text layer ({len(pages)} page(s) of images: a scan?)",
            path=path,
            hint="run text recognition (OCR, e.g. ocrmypdf) on it first, or import the original document",
        )
    return text


def rtf_text(path: Path, data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise DialoogError("this is not an RTF file (it does not start with '{\\rtf')", path=path)
    try:
        return _canonical(rtf_to_text(data.decode("latin-1"), errors="strict"))
    except (UnicodeDecodeError, ValueError, LookupError) as exc:
        raise DialoogError(
            f"cannot read this RTF file ({type(exc).__name__})", path=path, hint="save it again as .docx or .txt"
        ) from None


def _front_matter(text: str) -> int:
    """Length of a YAML front-matter block at the start of a Markdown text (0 when there is none)."""
    if not text.startswith("---\n"):
        return 0
    close = text.find("\n---\n", 3)
    if close < 0:
        return len(text) if text.endswith("\n---") else 0
    return close + 5


def read_source(path: Path) -> SourceFile:
    """The source text of a raw file (not subtitles: see `dialoog.ingest.subtitles`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DialoogError(
            f"unsupported file type '{suffix or '(none)'}'", path=path, hint="supported: " + ", ".join(SUPPORTED)
        )
    if not path.is_file():
        raise DialoogError("file not found", path=path)
    if suffix == ".docx":
        return SourceFile(docx_text(path), "docx", per_line=True)
    if suffix == ".odt":
        return SourceFile(odt_text(path), "odt", per_line=True)
    if suffix == ".pdf":
        return SourceFile(pdf_text(path), "pdf")
    data = path.read_bytes()
    if suffix == ".rtf":
        return SourceFile(rtf_text(path, data), "rtf")
    text, encoding, _bom = decode(data, path)
    text = _canonical(text)
    return SourceFile(text, suffix[1:], encoding, skip=_front_matter(text) if suffix == ".md" else 0)
