"""The interactive coder for JupyterLab (ipywidgets): `Coder(study).widget` is what the notebook shows.

Choose a coder name, a gemeente and a transcript; read it turn by turn with the codes already applied
shown in place; select a turn or a part of it (sentences, a character range, or a piece of text found in
the turn); apply one or more codes; remove codings; memos on a fragment or on a code; search the codebook
by label; accept or reject suggestions (when `dialoog.assist.suggest` is installed and `dialoog suggest` was run);
undo; edit the codebook. Blind coding (the default) hides the other coders' codings.

Every widget is an attribute, so tests (and users) can drive it from Python: set ``.value`` and call
``.click()`` on a button. All logic of saving lives in `dialoog.coding.session` and `dialoog.coding.codebook_edit`.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from dialoog.coding import codebook_edit
from dialoog.coding.session import CodingSession
from dialoog.errors import DialoogError
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript, Turn

try:  # the coding assistant (issue 4); the coder works without it
    from dialoog.assist import suggest as _suggest
except ImportError:  # pragma: no cover - depends on what is installed
    _suggest = None

PARTS = [("Hele beurt", "turn"), ("Zinnen", "sentences"), ("Tekens", "range"), ("Zoek tekst", "search")]
CB_ACTIONS = [("Toevoegen", "add"), ("Hernoemen", "rename"), ("Verplaatsen", "move"), ("Samenvoegen", "merge")]
STYLE = """<style>
.dialoog-coder .turn {margin: 0 0 .6em 0; padding: .3em .5em; border-left: 3px solid transparent}
.dialoog-coder .turn.current {border-left-color: #1f77b4; background: #f3f8fc}
.dialoog-coder mark.own {background: #ffe58a} .dialoog-coder mark.other {background: #cfe3ff}
.dialoog-coder mark.own.other {background: #c9f0c0}
.dialoog-coder .code {display: inline-block; font-size: 80%; border-radius: 3px; padding: 0 .3em;
  margin: 0 .2em; background: #ffe58a} .dialoog-coder .code.other {background: #cfe3ff}
</style>"""


def _label(turn: Turn) -> str:
    words = turn.text.split()
    head = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
    return f"{turn.index + 1} · {turn.speaker}: {head}" if turn.speaker else f"{turn.index + 1} · {head}"


class Coder:
    """The coding widget of one study. `widget` is the box to display."""

    def __init__(self, study: Study | Path | str = ".", coder: str = "", gemeente: str | None = None) -> None:
        self.study = study if isinstance(study, Study) else Study(Path(study))
        self.study.check_layout()
        self.session: CodingSession | None = None
        self._suggestions: list = []
        L = w.Layout

        self.status = w.HTML()
        self.coder = w.Combobox(
            value="",
            options=[p.stem for p in self.study.coder_files()],
            placeholder="je naam, bijv. anouk",
            description="Codeur",
            ensure_option=False,
            continuous_update=False,
        )
        slugs = self.study.gemeente_slugs()
        self.gemeente = w.Dropdown(options=slugs, value=slugs[0] if slugs else None, description="Gemeente")
        self.transcript = w.Dropdown(description="Gesprek")
        self.blind = w.Checkbox(value=True, description="Blind coderen (codes van anderen verbergen)", indent=False)
        self.turn = w.Dropdown(description="Beurt", layout=L(width="60%"))
        self.prev_button = w.Button(description="◀ Vorige", layout=L(width="90px"))
        self.next_button = w.Button(description="Volgende ▶", layout=L(width="100px"))
        self.text = w.HTML(layout=L(max_height="420px", overflow="auto", border="1px solid #ddd"))

        self.part = w.ToggleButtons(options=PARTS, value="turn", description="Fragment")
        self.sentences = w.SelectMultiple(description="Zinnen", rows=5, layout=L(width="95%"))
        self.range = w.IntRangeSlider(description="Tekens", min=0, max=1, value=(0, 1), layout=L(width="95%"))
        self.find = w.Text(description="Tekst", placeholder="een stuk tekst uit deze beurt", continuous_update=False)
        self.preview = w.HTML()

        self.code_search = w.Text(description="Zoek code", placeholder="label", continuous_update=True)
        self.codes = w.SelectMultiple(description="Codes", rows=8, layout=L(width="95%"))
        self.code_info = w.HTML()
        self.memo = w.Textarea(description="Memo", placeholder="memo bij het fragment of bij de code")
        self.apply_button = w.Button(description="Codeer", button_style="primary", icon="check")
        self.memo_segment_button = w.Button(description="Memo bij fragment")
        self.memo_code_button = w.Button(description="Memo bij code")
        self.applied = w.SelectMultiple(description="Hier", rows=4, layout=L(width="95%"))
        self.remove_button = w.Button(description="Verwijder", icon="trash")
        self.undo_button = w.Button(description="Ongedaan maken", icon="undo")

        self.suggestion_list = w.Select(description="Suggesties", rows=5, layout=L(width="95%"))
        self.accept_button = w.Button(description="Accepteer", icon="check")
        self.reject_button = w.Button(description="Verwerp", icon="times")

        self.cb_action = w.ToggleButtons(options=CB_ACTIONS, value="add", description="Codeboek")
        self.cb_code = w.Dropdown(description="Code")
        self.cb_target = w.Dropdown(description="Doel / ouder")
        self.cb_id = w.Text(description="Nieuw id", placeholder="bijv. buurtapp")
        self.cb_label = w.Text(description="Label")
        self.cb_description = w.Textarea(description="Omschrijving")
        self.cb_button = w.Button(description="Codeboek wijzigen", button_style="warning")

        self._wire()
        self._refresh_codes()
        self._on_gemeente()
        if coder:
            self.coder.value = coder
        if gemeente:
            self.gemeente.value = self.study.gemeente(gemeente).slug

        self.widget = w.VBox(
            [
                w.HTML(STYLE),
                w.HBox([self.coder, self.gemeente, self.transcript]),
                self.blind,
                w.HBox([self.prev_button, self.turn, self.next_button]),
                self.text,
                self.part,
                self.sentences,
                self.range,
                self.find,
                self.preview,
                w.HBox(
                    [
                        w.VBox([self.code_search, self.codes, self.code_info], layout=L(width="50%")),
                        w.VBox(
                            [
                                self.memo,
                                w.HBox([self.apply_button, self.memo_segment_button, self.memo_code_button]),
                                self.applied,
                                w.HBox([self.remove_button, self.undo_button]),
                            ],
                            layout=L(width="50%"),
                        ),
                    ]
                ),
                self.status,
                w.Accordion(
                    [
                        w.VBox([self.suggestion_list, w.HBox([self.accept_button, self.reject_button])]),
                        w.VBox(
                            [
                                self.cb_action,
                                self.cb_code,
                                self.cb_target,
                                self.cb_id,
                                self.cb_label,
                                self.cb_description,
                                self.cb_button,
                            ]
                        ),
                    ],
                    titles=("Suggesties", "Codeboek bewerken"),
                ),
            ]
        )
        self.widget.add_class("dialoog-coder")
        self._update_part_visibility()

    # -- wiring ---------------------------------------------------------------------------------
    def _wire(self) -> None:
        def on(widget: w.Widget, fn) -> None:
            widget.observe(lambda _change: self._guard(fn), names="value")

        on(self.coder, self._on_coder)
        on(self.gemeente, self._on_gemeente)
        on(self.transcript, self._on_transcript)
        on(self.blind, self._render)
        on(self.turn, self._on_turn)
        on(self.part, self._update_part_visibility)
        for widget in (self.sentences, self.range, self.find):
            on(widget, self._update_preview)
        on(self.code_search, self._refresh_codes)
        on(self.codes, self._show_code_info)
        on(self.cb_action, self._refresh_codebook_fields)
        buttons = {
            self.prev_button: lambda: self._step(-1),
            self.next_button: lambda: self._step(1),
            self.apply_button: self._apply,
            self.memo_segment_button: self._memo_segment,
            self.memo_code_button: self._memo_code,
            self.remove_button: self._remove,
            self.undo_button: self._undo,
            self.accept_button: self._accept,
            self.reject_button: self._reject,
            self.cb_button: self._edit_codebook,
        }
        for button, fn in buttons.items():
            button.on_click(lambda _b, fn=fn: self._guard(fn))

    def _guard(self, fn) -> None:
        """Run a callback; a DialoogError becomes a message in the status line instead of a traceback."""
        try:
            fn()
        except DialoogError as exc:
            self._say(str(exc), error=True)

    def _say(self, message: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        self.status.value = f'<span style="color:{colour}">{html.escape(message)}</span>'

    # -- state ----------------------------------------------------------------------------------
    @property
    def current_transcript(self) -> Transcript | None:
        return self.study.transcripts.get(self.transcript.value) if self.transcript.value else None

    @property
    def current_turn(self) -> Turn | None:
        t = self.current_transcript
        if t is None or self.turn.value is None:
            return None
        return t.turns[self.turn.value]

    def _need_session(self) -> CodingSession:
        if self.session is None:
            raise DialoogError("fill in your coder name first", key="coder")
        return self.session

    def _on_coder(self) -> None:
        name = (self.coder.value or "").strip()
        self.session = CodingSession(self.study, name) if name else None
        if self.session:
            self._say(
                f"Je codeert als {self.session.coder}; alles wordt meteen opgeslagen in {self.session.path.name}."
            )
        self._load_suggestions()
        self._render()

    def _on_gemeente(self) -> None:
        slug = self.gemeente.value
        ids = [t.id for t in self.study.transcripts.values() if t.path.parent.name == slug]
        self.transcript.options = ids
        self.transcript.value = ids[0] if ids else None

    def _sentences(self, turn) -> list[tuple[int, int]]:
        """(start, end) of the sentences of `turn`, relative to its text: the segments of `dialoog.assist.nlp`,
        the same units as suggestions and sentence-level agreement."""
        from dialoog.assist import nlp

        t = self.current_transcript
        if t is None:
            return []
        if getattr(self, "_segments_of", None) != t.id:
            self._segments = nlp.segments(t, nlp.pipeline_for(self.study))
            self._segments_of = t.id
        return [(seg.start - turn.start, seg.end - turn.start) for seg in self._segments if seg.turn == turn.index]

    def _on_transcript(self) -> None:
        t = self.current_transcript
        self.turn.options = [(_label(turn), turn.index) for turn in t.turns] if t else []
        self.turn.value = 0 if t else None
        self._load_suggestions()
        self._on_turn()

    def _on_turn(self) -> None:
        turn = self.current_turn
        if turn is None:
            return
        self.sentences.options = [
            (f"{i + 1}. {turn.text[a:b]}", (a, b)) for i, (a, b) in enumerate(self._sentences(turn))
        ]
        self.range.max = max(len(turn.text), 1)
        self.range.value = (0, len(turn.text))
        self.find.value = ""
        self._update_preview()
        self._render()

    def _step(self, delta: int) -> None:
        t = self.current_transcript
        if t is not None and self.turn.value is not None:
            self.turn.value = min(max(self.turn.value + delta, 0), len(t.turns) - 1)

    def _update_part_visibility(self) -> None:
        for part, widget in (("sentences", self.sentences), ("range", self.range), ("search", self.find)):
            widget.layout.display = "" if self.part.value == part else "none"
        self._update_preview()

    def selection(self) -> tuple[int, int]:
        """The selected fragment as (start, end) offsets into the transcript body."""
        turn = self.current_turn
        if turn is None:
            raise DialoogError("choose a transcript first", key="transcript")
        part = self.part.value
        if part == "turn":
            return turn.start, turn.end
        if part == "sentences":
            if not self.sentences.value:
                raise DialoogError("select one or more sentences", key="sentences")
            return turn.start + min(a for a, _ in self.sentences.value), turn.start + max(
                b for _, b in self.sentences.value
            )
        if part == "range":
            a, b = self.range.value
            if a >= b:
                raise DialoogError("the character range is empty", key="range")
            return turn.start + a, turn.start + b
        needle = self.find.value.strip()
        if not needle:
            raise DialoogError("type a piece of text from this turn", key="search")
        pos = turn.text.find(needle)
        if pos == -1:
            pos = turn.text.lower().find(needle.lower())
        if pos == -1:
            raise DialoogError("that text does not occur in this turn", key="search", hint="copy it from the turn")
        return turn.start + pos, turn.start + pos + len(needle)

    def _update_preview(self) -> None:
        t = self.current_transcript
        try:
            start, end = self.selection()
        except DialoogError as exc:
            self.preview.value = f"<i>{html.escape(exc.detail)}</i>"
            return
        self.preview.value = f"<b>Geselecteerd:</b> “{html.escape(t.body[start:end])}”"

    # -- codes ----------------------------------------------------------------------------------
    def _codebook(self):
        return self.session.codebook if self.session else self.study.codebook

    def _refresh_codes(self) -> None:
        cb = self._codebook()
        query = (self.code_search.value or "").strip().lower()
        options = []
        for code in cb.walk():
            path = " › ".join(cb.label(a) for a in [*reversed(cb.ancestors(code.id)), code.id])
            if not query or query in path.lower() or query in code.id:
                options.append((path, code.id))
        keep = tuple(v for v in self.codes.value if v in {o[1] for o in options})
        self.codes.options = options
        self.codes.value = keep
        self._refresh_codebook_fields()

    def _show_code_info(self) -> None:
        cb = self._codebook()
        memos = self.session.code_memos() if self.session else {}
        parts = []
        for cid in self.codes.value:
            c = cb[cid]
            text = f"<b>{html.escape(c.label)}</b>: {html.escape(c.description)}"
            if c.use_when:
                text += f"<br><i>Gebruik als:</i> {html.escape(c.use_when)}"
            if c.not_when:
                text += f"<br><i>Niet als:</i> {html.escape(c.not_when)}"
            if cid in memos:
                text += f"<br><i>Jouw memo:</i> {html.escape(memos[cid])}"
            parts.append(text)
        self.code_info.value = "<br>".join(parts)

    # -- actions --------------------------------------------------------------------------------
    def _apply(self) -> None:
        session = self._need_session()
        start, end = self.selection()
        action = session.apply(self.transcript.value, start, end, self.codes.value, memo=self.memo.value.strip())
        self.memo.value = ""
        self._say(action.description)
        self._render()

    def _memo_segment(self) -> None:
        session = self._need_session()
        start, end = self.selection()
        action = session.set_memo(self.transcript.value, start, end, self.memo.value)
        self._say(action.description if action.added else "de memo was al zo")
        self._render()

    def _memo_code(self) -> None:
        session = self._need_session()
        if len(self.codes.value) != 1:
            raise DialoogError("select exactly one code for a code memo", key="code")
        action = session.set_code_memo(self.codes.value[0], self.memo.value)
        self._say(action.description)
        self._show_code_info()

    def _remove(self) -> None:
        session = self._need_session()
        if not self.applied.value:
            raise DialoogError("select the codings to remove under 'Hier'", key="coding")
        action = session.remove(self.applied.value)
        self._say(action.description)
        self._render()

    def _undo(self) -> None:
        session = self._need_session()
        action = session.undo()
        self._say(f"ongedaan gemaakt: {action.description}" if action else "er is niets om ongedaan te maken")
        self._render()

    # -- suggestions ----------------------------------------------------------------------------
    def _load_suggestions(self) -> None:
        self._suggestions = []
        if _suggest is None or not self.transcript.value:
            self.suggestion_list.options = []
            return
        coder = self.session.coder if self.session else None
        try:
            self._suggestions = _suggest.load_suggestions(self.study, self.transcript.value, coder=coder)
        except DialoogError as exc:
            self._say(str(exc), error=True)
        cb = self._codebook()
        self.suggestion_list.options = [
            (f"{cb.label(s.code) if s.code in cb else s.code} ({s.score:.2f}): {s.text[:70]}", i)
            for i, s in enumerate(self._suggestions)
        ]

    def _selected_suggestion(self):
        if _suggest is None:
            raise DialoogError("suggestions are not available in this installation", key="suggest")
        if self.suggestion_list.value is None:
            raise DialoogError("select a suggestion first", key="suggest")
        return self._suggestions[self.suggestion_list.value]

    def _accept(self) -> None:
        session = self._need_session()
        s = self._selected_suggestion()
        # through the session, so the write is locked, merged and can be undone
        action = session.apply(s.transcript, s.start, s.end, [s.code], memo=f"suggestie ({s.source})")
        self._say(f"suggestie geaccepteerd: {action.description}")
        self._load_suggestions()
        self._render()

    def _reject(self) -> None:
        session = self._need_session()
        s = self._selected_suggestion()
        _suggest.reject(self.study, s, session.coder)
        self._say("suggestie verworpen")
        self._load_suggestions()

    # -- codebook -------------------------------------------------------------------------------
    def _refresh_codebook_fields(self) -> None:
        cb = self._codebook()
        options = [(" › ".join(cb.label(a) for a in [*reversed(cb.ancestors(c.id)), c.id]), c.id) for c in cb.walk()]
        self.cb_code.options = options
        self.cb_target.options = [("(geen: hoofdcode)", None), *options]
        action = self.cb_action.value
        self.cb_code.layout.display = "none" if action == "add" else ""
        self.cb_target.description = "Samenvoegen in" if action == "merge" else "Ouder"
        self.cb_target.layout.display = "" if action in ("add", "move", "merge") else "none"
        self.cb_id.layout.display = "" if action in ("add", "rename") else "none"
        self.cb_label.layout.display = "" if action in ("add", "rename") else "none"
        self.cb_description.layout.display = "" if action == "add" else "none"

    def _edit_codebook(self) -> None:
        action = self.cb_action.value
        if action == "add":
            codebook_edit.add_code(
                self.study,
                self.cb_id.value.strip(),
                self.cb_label.value,
                self.cb_description.value,
                self.cb_target.value,
            )
            done = f"code {self.cb_id.value.strip()} toegevoegd"
        elif action == "rename":
            codebook_edit.rename_code(
                self.study,
                self.cb_code.value,
                label=self.cb_label.value or None,
                new_id=self.cb_id.value.strip() or None,
            )
            done = "code hernoemd"
        elif action == "move":
            codebook_edit.move_code(self.study, self.cb_code.value, self.cb_target.value)
            done = "code verplaatst"
        else:
            if self.cb_target.value is None:
                raise DialoogError("choose the code to merge into", key="code")
            codebook_edit.merge_codes(self.study, self.cb_code.value, self.cb_target.value)
            done = "codes samengevoegd"
        self.study.__dict__.pop("codebook", None)
        self.study.__dict__.pop("codings", None)
        for widget in (self.cb_id, self.cb_label, self.cb_description):
            widget.value = ""
        self._refresh_codes()
        self._say(done)
        self._render()

    # -- rendering ------------------------------------------------------------------------------
    def visible_codings(self) -> tuple[list[Coding], list[Coding]]:
        """(own, others) codings of the current transcript; others is empty when coding blind."""
        tid = self.transcript.value
        if not tid or self.session is None:
            return [], []
        own = self.session.codings(tid)
        others = [] if self.blind.value else self.session.other_codings(tid)
        return own, others

    def _render(self) -> None:
        t = self.current_transcript
        if t is None:
            self.text.value = "<i>Deze gemeente heeft nog geen gesprekken.</i>"
            return
        own, others = self.visible_codings()
        cb = self._codebook()
        label = lambda code: cb.label(code) if code in cb else code  # noqa: E731
        current = self.turn.value
        paras = []
        for turn in t.turns:
            in_turn = [(c, "own") for c in own if c.start < turn.end and turn.start < c.end]
            in_turn += [(c, "other") for c in others if c.start < turn.end and turn.start < c.end]
            cuts = sorted(
                {turn.start, turn.end}
                | {min(max(x, turn.start), turn.end) for c, _ in in_turn for x in (c.start, c.end)}
            )
            pieces = []
            for a, b in zip(cuts, cuts[1:], strict=False):
                cover = [(c, who) for c, who in in_turn if c.start < b and a < c.end]
                piece = html.escape(t.body[a:b])
                if cover:
                    cls = " ".join(sorted({who for _, who in cover}))
                    title = html.escape("; ".join(f"{label(c.code)} ({c.coder})" for c, _ in cover))
                    piece = f'<mark class="{cls}" title="{title}">{piece}</mark>'
                pieces.append(piece)
            badges = "".join(
                f'<span class="code {who}" data-code="{c.code}" data-coder="{c.coder}" '
                f'title="{html.escape(c.memo)}">{html.escape(label(c.code))}'
                f"{'' if who == 'own' else ' · ' + html.escape(c.coder)}{' ✎' if c.memo else ''}</span>"
                for c, who in in_turn
            )
            cls = "turn current" if turn.index == current else "turn"
            paras.append(
                f'<p class="{cls}" id="turn-{turn.index + 1}"><b>{turn.index + 1}. {html.escape(turn.speaker)}:</b> '
                f"{''.join(pieces)} {badges}</p>"
            )
        self.text.value = "".join(paras)
        turn = self.current_turn
        self.applied.options = [
            (f"{label(c.code)}: {t.body[c.start : c.end][:60]}", c)
            for c in own
            if turn is not None and c.start < turn.end and turn.start < c.end
        ]
