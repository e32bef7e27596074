"""The coder for JupyterLab: an `anywidget` whose JavaScript (``static/coder.js``) ships inside this package,
so no JupyterLab extension needs to be built. `Coder(study)` is what the notebook shows.

The browser renders state and sends requests ("code span A–B of transcript T with codes X"); everything that
is saved goes through the library: `CodingSession` (locked, atomic, undo, blind coding), `codebook_edit`,
`dialoog.assist.suggest` and `dialoog.coding.consensus`. Python tests drive the widget the same way the
browser does: set a trait (`coder`, `gemeente`, `transcript_id`, `blind`) or call `handle({...})` with the
message the browser would send. Every message the user reads is Dutch.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from dialoog.coding import codebook_edit, consensus, retrieval, view
from dialoog.coding.session import CodingSession
from dialoog.errors import DialoogError
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente
from dialoog.study.transcripts import ROLES

try:  # the coding assistant; the coder works without it
    from dialoog.assist import suggest as _suggest
except ImportError:  # pragma: no cover - depends on what is installed
    _suggest = None

STATIC = Path(__file__).parent / "static"
RECENT = 9  # recent codes on the number keys 1-9


class Coder(anywidget.AnyWidget):
    """The coding widget of one study."""

    _esm = STATIC / "coder.js"
    _css = STATIC / "coder.css"

    coder = t.Unicode("").tag(sync=True)
    gemeenten = t.List().tag(sync=True)  # [[slug, name]]
    gemeente = t.Unicode("").tag(sync=True)
    transcripts = t.List().tag(sync=True)  # the current gemeente's transcripts: [{id, rol, wijk, words}]
    transcript_id = t.Unicode("").tag(sync=True)
    blind = t.Bool(True).tag(sync=True)
    transcript = t.Dict().tag(sync=True)
    codebook = t.List().tag(sync=True)
    code_memos = t.Dict().tag(sync=True)
    codings = t.List().tag(sync=True)
    suggestions = t.List().tag(sync=True)
    recent = t.List().tag(sync=True)
    coders = t.List().tag(sync=True)
    roles = t.List().tag(sync=True)
    status = t.Dict().tag(sync=True)  # {text, error, n, t0}
    retrieval = t.Dict().tag(sync=True)
    consensus = t.Dict().tag(sync=True)

    def __init__(self, study: Study | Path | str = ".", coder: str = "", gemeente: str | None = None) -> None:
        super().__init__()
        self.study = study if isinstance(study, Study) else Study(Path(study))
        self.study.check_layout()
        self.session: CodingSession | None = None
        self._suggestions: list = []
        self._n = 0
        slugs = self.study.gemeente_slugs()
        self.gemeenten = [[s, _name(s)] for s in slugs]
        self.roles = [[k, v] for k, v in ROLES.items()]
        self._reload_codebook()
        self.observe(lambda _: self._guard(self._on_coder), names="coder")
        self.observe(lambda _: self._guard(self._on_gemeente), names="gemeente")
        self.observe(lambda _: self._guard(self._on_transcript), names="transcript_id")
        self.observe(lambda _: self._guard(self._refresh_codings), names="blind")
        self.on_msg(lambda _w, content, _buffers: self.handle(content))
        self.gemeente = self._start_gemeente(gemeente, slugs)
        if coder:
            self.coder = coder
        self._refresh_coders()

    def _start_gemeente(self, gemeente: str | None, slugs: list[str]) -> str:
        """The gemeente to start with: the one asked for when the study has transcripts of it, else the first."""
        if not slugs:
            self._say(
                "Deze studie heeft nog geen gesprekken. Importeer ze met 'dialoog import' en voer de cel opnieuw uit."
            )
            return ""
        found = _lookup(gemeente) if gemeente else None
        if gemeente and (found is None or found.slug not in slugs):
            self._say(f"De studie heeft (nog) geen gesprekken van gemeente '{gemeente}'; je ziet nu {_name(slugs[0])}.")
            return slugs[0]
        return found.slug if found else slugs[0]

    # -- messages -----------------------------------------------------------------------------------
    def handle(self, msg: dict) -> None:
        """Handle one request of the browser, e.g. ``{"action": "apply", "transcript": T, "spans": [[A, B]],
        "codes": [X]}``; a DialoogError becomes a Dutch message in the status line."""
        action = msg.get("action", "")
        fn = getattr(self, f"_do_{action}", None)
        if fn is None:
            self._say(f"Onbekende opdracht '{action}'.", error=True)
            return
        self._guard(lambda: fn(msg), t0=msg.get("t0"))

    def _guard(self, fn, t0: float | None = None) -> None:
        try:
            fn()
        except DialoogError as exc:
            self._say(view.dutch_message(exc), error=True, t0=t0)

    def _say(self, text: str, error: bool = False, t0: float | None = None) -> None:
        self._n += 1
        self.status = {"text": text, "error": error, "n": self._n, "t0": t0}

    def _need_session(self) -> CodingSession:
        if self.session is None:
            raise DialoogError("vul eerst je naam als codeur in", key="codeur")
        return self.session

    # -- state --------------------------------------------------------------------------------------
    def _reload_codebook(self) -> None:
        self.study.__dict__.pop("codebook", None)
        cb = self.session.codebook if self.session else self.study.codebook
        self.codebook = view.codebook_state(cb)
        self.code_memos = self.session.code_memos() if self.session else {}

    def _refresh_coders(self) -> None:
        self.coders = [p.stem for p in self.study.coder_files()]

    def _on_coder(self) -> None:
        name = (self.coder or "").strip()
        self.session = None
        if name:
            self.session = CodingSession(self.study, name)
            self._say(
                f"Je codeert als {self.session.coder}; alles wordt meteen opgeslagen in {self.session.path.name}."
            )
        self._reload_codebook()
        self._refresh_codings()
        self._load_suggestions()

    def _on_gemeente(self) -> None:
        slug = self.gemeente
        found = [tr for tr in self.study.transcripts.values() if tr.path.parent.name == slug]
        self.transcripts = [
            {"id": tr.id, "rol": ROLES.get(tr.role, tr.role), "wijk": tr.wijk or "", "words": tr.word_count()}
            for tr in found
        ]
        ids = [tr.id for tr in found]
        if self.transcript_id not in ids:
            self.transcript_id = ids[0] if ids else ""

    def _on_transcript(self) -> None:
        tr = self.study.transcripts.get(self.transcript_id) if self.transcript_id else None
        with self.hold_sync():
            self.transcript = view.transcript_state(tr)
            self._refresh_codings()
            self._load_suggestions()
            self.consensus = {}

    def _refresh_codings(self) -> None:
        tid = self.transcript_id
        if not tid or self.session is None:
            self.codings = []
            return
        own = self.session.codings(tid)
        others = [] if self.blind else self.session.other_codings(tid)
        self.codings = view.codings_state(own, others)

    def _load_suggestions(self) -> None:
        self._suggestions = []
        if _suggest is not None and self.transcript_id and self.session is not None:
            try:
                found = _suggest.load_suggestions(self.study, self.transcript_id, coder=self.session.coder)
            except DialoogError as exc:
                self._say(view.dutch_message(exc), error=True)
                found = []
            self._suggestions = view.rank_suggestions(found)
        cb = self.session.codebook if self.session else self.study.codebook
        self.suggestions = view.suggestions_state(self._suggestions, cb)

    def _remember(self, codes: list[str]) -> None:
        self.recent = list(dict.fromkeys([*codes, *self.recent]))[:RECENT]

    def _own(self, keys: list[str]) -> list[Coding]:
        session = self._need_session()
        mine = {view.coding_key(c): c for c in session.codings(self.transcript_id)}
        found = [mine[k] for k in keys if k in mine]
        if not found:
            raise DialoogError("kies eerst een van je eigen coderingen", key="codering")
        return found

    def _changed(self, text: str, t0: float | None = None) -> None:
        self.study.__dict__.pop("codings", None)
        with self.hold_sync():
            self._refresh_codings()
            self._say(text, t0=t0)
        self._refresh_coders()

    # -- coding -------------------------------------------------------------------------------------
    def _do_apply(self, msg: dict) -> None:
        session = self._need_session()
        tid = msg.get("transcript") or self.transcript_id
        spans = [(int(a), int(b)) for a, b in msg.get("spans", [])]
        codes = list(msg.get("codes", []))
        action = session.apply_spans(tid, spans, codes, memo=" ".join(str(msg.get("memo", "")).split()))
        self._remember(codes)
        n = len(spans)
        self._changed(action.description + (f" ({n} fragmenten, één per beurt)" if n > 1 else ""), msg.get("t0"))

    def _do_remove(self, msg: dict) -> None:
        action = self._need_session().remove(self._own(msg.get("keys", [])))
        self._changed(action.description)

    def _do_recode(self, msg: dict) -> None:
        codes = list(msg.get("codes", []))
        action = self._need_session().recode(self._own(msg.get("keys", [])), codes)
        self._remember(codes)
        self._changed(action.description)

    def _do_memo(self, msg: dict) -> None:
        c = self._own(msg.get("keys", []))[0]
        action = self._need_session().set_memo(c.transcript, c.start, c.end, str(msg.get("memo", "")))
        self._changed("memo opgeslagen" if action.added else "de memo was al zo")

    def _do_code_memo(self, msg: dict) -> None:
        action = self._need_session().set_code_memo(str(msg.get("code", "")), str(msg.get("memo", "")))
        self.code_memos = self._need_session().code_memos()
        self._say(action.description)

    def _do_undo(self, msg: dict) -> None:
        action = self._need_session().undo()
        if action is not None and action.code_memo is not None:
            self.code_memos = self._need_session().code_memos()
        self._changed(f"ongedaan gemaakt: {action.description}" if action else "er is niets om ongedaan te maken")
        self._load_suggestions()

    def _do_refresh(self, msg: dict) -> None:
        self.study.__dict__.pop("transcripts", None)
        self._reload_codebook()
        self._on_gemeente()
        self._on_transcript()
        self._refresh_coders()

    def _do_open(self, msg: dict) -> None:
        """Jump to a transcript (of any gemeente of the study), e.g. from the retrieval view."""
        tid = str(msg.get("transcript", ""))
        tr = self.study.transcripts.get(tid)
        if tr is None:
            raise DialoogError(f"onbekend gesprek '{tid}'", path=self.study.interviews_dir)
        with self.hold_sync():
            self.gemeente = tr.path.parent.name
            self.transcript_id = tid

    # -- suggestions --------------------------------------------------------------------------------
    def _suggestion(self, msg: dict):
        if _suggest is None:
            raise DialoogError("suggesties zijn in deze installatie niet beschikbaar", key="suggestie")
        i = msg.get("i")
        if not isinstance(i, int) or not 0 <= i < len(self._suggestions):
            raise DialoogError("kies eerst een suggestie", key="suggestie")
        return self._suggestions[i]

    def _do_accept(self, msg: dict) -> None:
        session = self._need_session()
        s = self._suggestion(msg)
        coding = _suggest.accept(self.study, s, session.coder, memo=f"suggestie ({getattr(s, 'source', '')})")
        cb = session.codebook
        session.record([coding], f"suggestie geaccepteerd: {cb.label(s.code) if s.code in cb else s.code}")
        self._remember([s.code])
        self._load_suggestions()
        self._changed(f"suggestie geaccepteerd: {cb.label(s.code) if s.code in cb else s.code}", msg.get("t0"))

    def _do_reject(self, msg: dict) -> None:
        session = self._need_session()
        _suggest.reject(self.study, self._suggestion(msg), session.coder)
        self._load_suggestions()
        self._say("suggestie verworpen")

    # -- retrieval ----------------------------------------------------------------------------------
    def _filter(self, msg: dict) -> retrieval.Filter:
        f = msg.get("filter") or self.retrieval.get("filter") or {}
        return retrieval.Filter(
            code=str(f.get("code", "")),
            gemeente=str(f.get("gemeente", "")),
            rol=str(f.get("rol", "")),
            coder=str(f.get("coder", "")),
            subcodes=bool(f.get("subcodes", True)),
        )

    def _fragments(self, f: retrieval.Filter) -> list[dict]:
        self.study.__dict__.pop("codings", None)
        only = self.session.coder if (self.blind and self.session) else None
        if self.blind and self.session is None:
            raise DialoogError("vul eerst je naam als codeur in (bij blind coderen zie je alleen je eigen fragmenten)")
        return retrieval.fragments(self.study, f, only_coder=only)

    def _do_retrieve(self, msg: dict) -> None:
        f = self._filter(msg)
        rows = self._fragments(f)
        self.retrieval = {"filter": f.__dict__, "rows": rows, "blind": self.blind}
        self._say(f"{len(rows)} fragment(en) gevonden")

    def _do_export(self, msg: dict) -> None:
        f = self._filter(msg)
        rows = self._fragments(f)
        label = self.study.codebook.label(f.code)
        if msg.get("format") == "docx":
            path = retrieval.export_docx(
                rows, retrieval.export_path(self.study, f.code, ".docx"), f"Fragmenten: {label}"
            )
        else:
            path = retrieval.export_csv(rows, retrieval.export_path(self.study, f.code, ".csv"))
        self._say(f"{len(rows)} fragment(en) geëxporteerd naar {path.relative_to(self.study.root)}")

    # -- consensus ----------------------------------------------------------------------------------
    def _do_consensus(self, msg: dict) -> None:
        self.study.__dict__.pop("codings", None)
        tid = str(msg.get("transcript") or self.transcript_id)
        self.consensus = consensus.side_by_side(self.study, tid)
        if len(self.consensus["coders"]) < 2:
            self._say("Dit gesprek is nog niet door twee of meer codeurs gecodeerd; er is niets te vergelijken.")

    def _do_decide(self, msg: dict) -> None:
        session = self._need_session()
        tid = str(msg.get("transcript") or self.transcript_id)
        still_open, rows = consensus.decide(
            self.study,
            tid,
            str(msg.get("unit", "")),
            str(msg.get("code", "")),
            str(msg.get("decision", "")),
            str(msg.get("decided_by") or session.coder),
            str(msg.get("note", "")),
        )
        self.consensus = consensus.side_by_side(self.study, tid)
        if rows is None:
            self._say(f"besluit opgeslagen; nog {still_open} verschil(len) open in dit gesprek")
        else:
            self._say(
                f"alle verschillen besloten: {len(rows)} consensuscodering(en) opgeslagen in consensus/consensus.csv"
            )

    # -- codebook -----------------------------------------------------------------------------------
    def _do_codebook(self, msg: dict) -> None:
        op = msg.get("op")
        code, target = msg.get("code") or None, msg.get("target") or None
        new_id, label = (msg.get("new_id") or "").strip(), (msg.get("label") or "").strip()
        if op == "add":
            codebook_edit.add_code(self.study, new_id, label, msg.get("description") or "", target)
            done = f"code {new_id} toegevoegd"
        elif op == "rename":
            codebook_edit.rename_code(self.study, code, label=label or None, new_id=new_id or None)
            done = "code hernoemd"
        elif op == "move":
            codebook_edit.move_code(self.study, code, target)
            done = "code verplaatst"
        elif op == "merge":
            if target is None:
                raise DialoogError("kies de code om in samen te voegen", key="code")
            codebook_edit.merge_codes(self.study, code, target)
            done = "codes samengevoegd"
        else:
            raise DialoogError(f"onbekende codeboekwijziging '{op}'", key="op")
        self._reload_codebook()
        self._changed(done)


def _lookup(name: str):
    try:
        return find_gemeente(name)
    except DialoogError:
        return None


def _name(slug: str) -> str:
    found = _lookup(slug)
    return found.name if found else slug
