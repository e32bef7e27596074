"""A REFI-QDA package: a .qdpx zip, or a bare .qde/.qdc file with its sources beside it.

Source paths are resolved the way real tools write them: ``internal://name``, ``relative://name`` and a
bare ``name`` (as the `qc` tool writes it), looked for in ``sources/``, ``Sources/`` and the archive
root (or the folder of a bare .qde), names compared without case. Absolute paths and ``..`` are refused
with the reason. The zip is checked for members that unpack too large (`dialoog.ingest.formats.check_zip`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from dialoog.errors import DialoogError
from dialoog.exchange import refi
from dialoog.ingest.formats import check_zip

_SCHEME = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<rest>.*)$", re.IGNORECASE)


class Package:
    """A .qdpx zip, or a bare .qde/.qdc file with an optional sources/ folder beside it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise DialoogError("file not found", path=self.path)
        self.zip: zipfile.ZipFile | None = None
        if zipfile.is_zipfile(self.path):
            try:
                self.zip = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError):
                raise DialoogError("cannot read this zip archive", path=self.path, hint="export it again") from None
            check_zip(self.zip, self.path)
            self.members = {n.lower(): n for n in self.zip.namelist() if not n.endswith("/")}

    def document(self) -> bytes:
        if self.zip is None:
            return self.path.read_bytes()
        candidates = [n for n in self.members if n.endswith(".qde")]
        if not candidates:
            raise DialoogError(
                "this zip has no project.qde", path=self.path, hint="export a REFI-QDA project (.qdpx) from your tool"
            )
        best = "project.qde" if "project.qde" in candidates else sorted(candidates, key=len)[0]
        return self.zip.read(self.members[best])

    def source(self, ref: str) -> tuple[bytes | None, str]:
        """The bytes of a source named by a path attribute, or None and the reason it cannot be read."""
        ref = ref.strip()
        m = _SCHEME.match(ref)
        scheme, rest = (m.group("scheme").lower(), m.group("rest")) if m else ("", ref)
        if scheme not in ("", "internal", "relative"):
            return None, f"its path uses '{scheme}://', which points outside the project; refused"
        rest = rest.replace("\\", "/")
        name = PurePosixPath(rest)
        if name.is_absolute() or re.match(r"^[A-Za-z]:", rest):
            return None, "its path is absolute (outside the project); refused"
        if ".." in name.parts:
            return None, "its path contains '..' (outside the project); refused"
        if not str(name) or str(name) == ".":
            return None, "its path is empty"
        wanted = [f"sources/{name}".lower(), str(name).lower()]
        if self.zip is not None:
            for w in wanted:
                if w in self.members:
                    return self.zip.read(self.members[w]), ""
            return None, f"its file ({name.name}) is not in the archive"
        folder = self.path.parent
        for candidate in (folder / "sources" / str(name), folder / "Sources" / str(name), folder / str(name)):
            if candidate.is_file():
                return candidate.read_bytes(), ""
        return None, f"its file ({name.name}) is not beside the project"


def parse(data: bytes, path: Path, root_name: str) -> etree._Element:
    try:
        root = etree.fromstring(data, refi.safe_parser())
    except etree.XMLSyntaxError as exc:
        raise DialoogError(
            f"not a readable REFI-QDA file: XML error at line {exc.lineno}",
            path=path,
            hint="export it again from your tool",
        ) from None
    if refi.local(root) != root_name:
        raise DialoogError(
            f"expected a REFI-QDA {root_name} document, found <{refi.local(root)}>",
            path=path,
            hint="use import-qdpx for projects (.qdpx, .qde) and import-qdc for codebooks (.qdc)",
        )
    return root
