// The dialoog coder: renders a transcript with its codings and suggestions, and sends requests
// ("code span A-B of transcript T with codes X") to Python, which saves them through CodingSession.
// Offsets sent and received are code points into the transcript body (Python's str offsets).

const SURROGATE = /[\uD800-\uDFFF]/;

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function cpLength(s) {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

// slicer(text)(a, b): text between code point offsets a and b
function slicer(text) {
  if (!SURROGATE.test(text)) return (a, b) => text.slice(a, b);
  const chars = Array.from(text);
  return (a, b) => chars.slice(a, b).join("");
}

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function when(ts) {
  if (!ts) return "";
  const d = new Date(ts);
  return isNaN(d) ? ts : d.toLocaleString("nl-NL", { dateStyle: "medium", timeStyle: "short" });
}

function option(value, label, selected) {
  const o = el("option", null, label);
  o.value = value;
  if (selected) o.selected = true;
  return o;
}

function button(label, cls, onclick, title) {
  const b = el("button", "dlg-btn " + (cls || ""), label);
  b.type = "button";
  if (title) b.title = title;
  b.addEventListener("click", onclick);
  return b;
}

class CoderUI {
  constructor(model, root) {
    this.model = model;
    this.pending = null; // {tid, spans: [[start, end], ...]} (body offsets)
    this.details = null; // keys of the codings shown in the details panel
    this.recode = null; // keys of the codings being re-coded
    this.hi = 0; // highlighted code in the chooser
    this.marked = new Set(); // codes ticked in the chooser
    this.sugg = 0; // current suggestion
    this.jump = null; // {tid, s, e}: scroll there once the transcript is shown
    this.sig = []; // per turn: what was rendered (to re-render only what changed)
    this.build(root);
    const on = (names, fn) => names.split(" ").forEach((n) => model.on("change:" + n, fn));
    on("transcript", () => this.openTranscript());
    on("codings suggestions", () => this.refresh());
    on("codebook", () => { this.renderChooser(); this.renderCodebookForm(); this.refresh(true); });
    on("code_memos recent", () => this.renderChooser());
    on("status", () => this.renderStatus());
    on("gemeenten gemeente transcripts transcript_id coder blind coders", () => this.renderHeader());
    on("retrieval", () => this.renderRetrieval());
    on("consensus", () => this.renderConsensus());
    this.renderHeader();
    this.renderChooser();
    this.renderCodebookForm();
    this.openTranscript();
    this.renderStatus();
  }

  get(name) { return this.model.get(name); }

  set(name, value) { this.model.set(name, value); this.model.save_changes(); }

  send(msg) { this.model.send(msg); }

  // -- layout ------------------------------------------------------------------------------------
  build(root) {
    this.root = el("div", "dlg-coder");
    root.appendChild(this.root);
    const head = el("div", "dlg-head");
    const field = (label, input) => { const l = el("label", "dlg-field"); l.append(el("span", null, label), input); head.appendChild(l); return input; };
    this.coderInput = field("Codeur", el("input"));
    this.coderInput.placeholder = "je naam, bijv. anouk";
    this.coderInput.setAttribute("list", "dlg-coders-" + Math.random().toString(36).slice(2));
    this.coderList = el("datalist"); this.coderList.id = this.coderInput.getAttribute("list");
    head.appendChild(this.coderList);
    this.coderInput.addEventListener("change", () => this.set("coder", this.coderInput.value.trim()));
    this.coderInput.addEventListener("keydown", (e) => { if (e.key === "Enter") this.set("coder", this.coderInput.value.trim()); });
    this.gemeenteSelect = field("Gemeente", el("select"));
    this.gemeenteSelect.addEventListener("change", () => this.set("gemeente", this.gemeenteSelect.value));
    this.transcriptSelect = field("Gesprek", el("select"));
    this.transcriptSelect.addEventListener("change", () => this.set("transcript_id", this.transcriptSelect.value));
    const blind = el("label", "dlg-check");
    this.blindBox = el("input"); this.blindBox.type = "checkbox";
    this.blindBox.addEventListener("change", () => this.set("blind", this.blindBox.checked));
    blind.append(this.blindBox, el("span", null, "Blind coderen (codes van anderen verbergen)"));
    head.appendChild(blind);
    head.appendChild(button("↶ Ongedaan maken", "dlg-undo", () => this.send({ action: "undo" }), "Ctrl+Z"));
    this.root.appendChild(head);

    this.tabs = el("div", "dlg-tabs");
    this.tabs.setAttribute("role", "tablist");
    this.panels = {};
    for (const [id, label] of [["code", "Coderen"], ["retrieve", "Fragmenten per code"], ["consensus", "Consensus"], ["codebook", "Codeboek"]]) {
      const tab = button(label, "dlg-tab", () => this.showTab(id));
      tab.dataset.tab = id;
      tab.setAttribute("role", "tab");
      this.tabs.appendChild(tab);
    }
    this.root.appendChild(this.tabs);
    this.statusLine = el("div", "dlg-status");
    this.statusLine.setAttribute("role", "status");
    this.statusLine.setAttribute("aria-live", "polite");
    this.root.appendChild(this.statusLine);

    const main = el("div", "dlg-main dlg-panel");
    this.doc = el("div", "dlg-doc");
    this.doc.tabIndex = 0;
    this.doc.setAttribute("aria-label", "Gesprek: selecteer tekst om te coderen");
    this.side = el("div", "dlg-side");
    main.append(this.doc, this.side);
    this.panels.code = main;
    this.buildSide();
    this.panels.retrieve = el("div", "dlg-retrieve dlg-panel");
    this.panels.consensus = el("div", "dlg-consensus dlg-panel");
    this.panels.codebook = el("div", "dlg-codebook dlg-panel");
    this.root.append(main, this.panels.retrieve, this.panels.consensus, this.panels.codebook);
    this.buildRetrieval();
    this.buildConsensus();
    this.showTab("code");

    this.doc.addEventListener("mouseup", () => setTimeout(() => this.onSelect(), 0));
    this.doc.addEventListener("keyup", (e) => { if (e.key === "Shift") this.onSelect(); }); // selection made with Shift + arrows
    this.doc.addEventListener("keydown", (e) => this.onDocKey(e));
    this.doc.addEventListener("click", (e) => this.onClick(e));
    this.root.addEventListener("keydown", (e) => {
      const typing = /INPUT|TEXTAREA|SELECT/.test(e.target.tagName);
      if ((e.ctrlKey || e.metaKey) && e.key === "z" && !typing) { e.preventDefault(); this.send({ action: "undo" }); }
    });
  }

  buildSide() {
    this.selBox = el("div", "dlg-selection");
    this.filter = el("input", "dlg-filter");
    this.filter.placeholder = "typ om codes te filteren; 1-9: recente codes";
    this.filter.setAttribute("aria-label", "Zoek code");
    this.filter.addEventListener("input", () => { this.hi = 0; this.renderChooser(); });
    this.filter.addEventListener("keydown", (e) => this.onChooserKey(e));
    this.codeList = el("div", "dlg-codes");
    this.codeList.setAttribute("role", "listbox");
    this.memoInput = el("input", "dlg-memo");
    this.memoInput.placeholder = "memo bij het fragment (optioneel)";
    this.applyButton = button("Codeer", "dlg-primary", () => this.applyCodes());
    this.defBox = el("div", "dlg-def");
    this.detailBox = el("div", "dlg-details");
    const suggHead = el("h4", null, "Suggesties");
    suggHead.title = "a: accepteren, v: verwerpen, ↑/↓: vorige/volgende";
    this.suggList = el("div", "dlg-sugg-list");
    this.suggList.tabIndex = 0;
    this.suggList.setAttribute("role", "listbox");
    this.suggList.setAttribute("aria-label", "Suggesties: a accepteert, v verwerpt");
    this.suggList.addEventListener("keydown", (e) => this.onSuggKey(e));
    const row = el("div", "dlg-row");
    row.append(this.memoInput, this.applyButton);
    this.side.append(this.selBox, this.filter, this.codeList, row, this.defBox, this.detailBox, suggHead, this.suggList);
  }

  showTab(id) {
    this.tab = id;
    for (const [name, panel] of Object.entries(this.panels)) panel.hidden = name !== id;
    for (const t of this.tabs.children) t.setAttribute("aria-selected", String(t.dataset.tab === id));
    if (id === "consensus") this.send({ action: "consensus" });
    if (id === "code") this.positionMargins([...Array(this.turns().length).keys()]);
  }

  renderHeader() {
    if (document.activeElement !== this.coderInput) this.coderInput.value = this.get("coder");
    this.coderList.replaceChildren(...this.get("coders").map((c) => option(c, c)));
    const g = this.get("gemeente");
    this.gemeenteSelect.replaceChildren(...this.get("gemeenten").map(([slug, name]) => option(slug, name, slug === g)));
    const tid = this.get("transcript_id");
    this.transcriptSelect.replaceChildren(...this.get("transcripts").map((t) =>
      option(t.id, `${t.id} · ${t.rol}${t.wijk ? " · " + t.wijk : ""} · ${t.words} woorden`, t.id === tid)));
    this.blindBox.checked = this.get("blind");
    this.renderRetrievalFilters();
  }

  renderStatus() {
    const st = this.get("status") || {};
    this.statusLine.textContent = st.text || "";
    this.statusLine.classList.toggle("dlg-error", !!st.error);
    if (st.t0) this.root.dataset.roundtrip = String(performance.now() - st.t0);
    this.root.dataset.status = String(st.n || 0);
  }

  // -- the transcript ----------------------------------------------------------------------------
  turns() { return (this.get("transcript") || {}).turns || []; }

  codeInfo() {
    if (!this._codeInfo || this._codeInfoOf !== this.get("codebook")) {
      this._codeInfoOf = this.get("codebook");
      this._codeInfo = new Map(this._codeInfoOf.map((c) => [c.id, c]));
    }
    return this._codeInfo;
  }

  colour(code) { return (this.codeInfo().get(code) || {}).color || "#888888"; }

  label(code) { return (this.codeInfo().get(code) || {}).label || code; }

  openTranscript() {
    const t0 = performance.now();
    const t = this.get("transcript") || {};
    this.pending = null;
    this.details = null;
    this.recode = null;
    this.sig = [];
    this.doc.replaceChildren();
    if (!t.turns) {
      this.doc.appendChild(el("p", "dlg-empty", "Kies een gemeente met gesprekken (importeer ze met 'dialoog import')."));
      return;
    }
    const frag = document.createDocumentFragment();
    t.turns.forEach(([, , speaker], i) => {
      const row = el("div", "dlg-turn");
      row.dataset.i = i;
      const head = el("div", "dlg-speaker", `${i + 1}. ${speaker}`);
      const text = el("div", "dlg-text");
      text.dataset.i = i;
      row.append(head, text, el("div", "dlg-margin"));
      frag.appendChild(row);
    });
    this.doc.appendChild(frag);
    this.refresh(true);
    this.root.dataset.transcript = t.id;
    this.root.dataset.openMs = String(performance.now() - t0);
    if (this.jump && this.jump.tid === t.id) { this.scrollTo(this.jump.s, this.jump.e); this.jump = null; }
    this.renderSide();
  }

  // items overlapping each turn: Map(turn index -> [item]); items have s, e
  bucket(items) {
    const turns = this.turns();
    const out = new Map();
    for (const item of items) {
      let lo = 0, hi = turns.length - 1, first = turns.length;
      while (lo <= hi) { const mid = (lo + hi) >> 1; if (turns[mid][1] > item.s) { first = mid; hi = mid - 1; } else lo = mid + 1; }
      for (let i = first; i < turns.length && turns[i][0] < item.e; i++) {
        if (!out.has(i)) out.set(i, []);
        out.get(i).push(item);
      }
    }
    return out;
  }

  refresh(all) {
    const turns = this.turns();
    if (!turns.length) { this.renderSide(); return; }
    this.codingsList = this.get("codings") || [];
    this.suggs = this.get("suggestions") || [];
    const cod = this.bucket(this.codingsList.map((c, idx) => ({ ...c, idx })));
    const sug = this.bucket(this.suggs.map((s) => ({ ...s })));
    const pend = this.pending && this.pending.tid === this.get("transcript").id
      ? this.bucket(this.pending.spans.map(([s, e]) => ({ s, e }))) : new Map();
    const changed = [];
    const rows = this.doc.children;
    for (let i = 0; i < turns.length; i++) {
      const c = cod.get(i) || [], s = sug.get(i) || [], p = pend.get(i) || [];
      const sig = c.map((x) => x.k + x.memo + x.idx).join() + "|" + s.map((x) => x.i + x.code + x.s).join() + "|" +
        p.map((x) => x.s + "-" + x.e).join() + (this.sugg !== null && s.some((x) => x.i === this.sugg) ? "*" + this.sugg : "");
      if (!all && this.sig[i] === sig) continue;
      this.sig[i] = sig;
      this.renderTurn(rows[i], turns[i], c, s, p);
      changed.push(i);
    }
    this.positionMargins(changed);
    this.renderSide();
  }

  renderTurn(row, turn, codings, suggs, pending) {
    const [start, end, , text] = turn;
    const len = end - start;
    const cut = slicer(text);
    const clip = (x) => ({ ...x, a: Math.max(x.s, start) - start, b: Math.min(x.e, end) - start });
    const cs = codings.map(clip), ss = suggs.map(clip), ps = pending.map(clip);
    const points = new Set([0, len]);
    for (const x of [...cs, ...ss, ...ps]) { points.add(x.a); points.add(x.b); }
    const cuts = [...points].sort((x, y) => x - y);
    let html = "";
    for (let j = 0; j + 1 < cuts.length; j++) {
      const a = cuts[j], b = cuts[j + 1];
      const piece = esc(cut(a, b));
      const cover = cs.filter((x) => x.a < b && a < x.b);
      const sg = ss.filter((x) => x.a < b && a < x.b);
      const pd = ps.some((x) => x.a < b && a < x.b);
      if (!cover.length && !sg.length && !pd) { html += piece; continue; }
      const cls = ["dlg-piece"], style = [];
      let attrs = "";
      if (cover.length) {
        cls.push("dlg-hl");
        const cols = cover.map((x) => rgba(this.colour(x.code), x.own ? 0.42 : 0.22));
        if (cols.length === 1) style.push(`background:${cols[0]}`);
        else {
          const step = 100 / cols.length;
          style.push("background:linear-gradient(to bottom," + cols.map((c, k) => `${c} ${k * step}% ${(k + 1) * step}%`).join(",") + ")");
        }
        attrs += ` data-c="${cover.map((x) => x.idx).join(" ")}"`;
        attrs += ` title="${esc(cover.map((x) => this.label(x.code) + (x.own ? "" : " (" + x.coder + ")")).join("; "))}"`;
      }
      if (sg.length) {
        cls.push("dlg-sg");
        if (sg.some((x) => x.i === this.sugg)) cls.push("dlg-sg-cur");
        style.push(`text-decoration-color:${this.colour(sg[0].code)}`);
        attrs += ` data-s="${sg.map((x) => x.i).join(" ")}"`;
      }
      if (pd) cls.push("dlg-pending");
      html += `<span class="${cls.join(" ")}" style="${style.join(";")}"${attrs}>${piece}</span>`;
    }
    row.children[1].innerHTML = html;
    row._codings = cs;
  }

  // code labels in the margin, beside the first line of each highlight, with a bar as long as the highlight
  positionMargins(indices) {
    if (this.panels.code.hidden) return;
    const rows = this.doc.children;
    const plans = [];
    for (const i of indices) {
      const row = rows[i];
      if (!row || !row._codings) continue;
      const text = row.children[1];
      const items = [];
      for (const c of row._codings) {
        const pieces = text.querySelectorAll(`[data-c~="${c.idx}"]`);
        if (!pieces.length) continue;
        const last = pieces[pieces.length - 1];
        items.push({ c, top: pieces[0].offsetTop, bottom: last.offsetTop + last.offsetHeight });
      }
      plans.push([row.children[2], items]);
    }
    for (const [margin, items] of plans) {
      margin.replaceChildren();
      const lanes = [];
      let labelBottom = -Infinity;
      let width = 0;
      items.sort((x, y) => x.top - y.top || y.bottom - x.bottom);
      for (const { c, top, bottom } of items) {
        let lane = lanes.findIndex((b) => b <= top);
        if (lane < 0) { lane = lanes.length; lanes.push(0); }
        lanes[lane] = bottom;
        const bar = el("div", "dlg-bar");
        Object.assign(bar.style, { top: top + "px", height: Math.max(bottom - top, 8) + "px", left: lane * 5 + "px", background: this.colour(c.code) });
        bar.dataset.c = c.idx;
        margin.appendChild(bar);
        width = Math.max(width, lanes.length * 5);
      }
      for (const { c, top } of items) {
        const tag = el("div", "dlg-tag" + (c.own ? "" : " dlg-other"), this.label(c.code) + (c.own ? "" : " · " + c.coder) + (c.memo ? " ✎" : ""));
        const y = Math.max(top, labelBottom);
        labelBottom = y + 18;
        Object.assign(tag.style, { top: y + "px", left: width + 4 + "px", borderColor: this.colour(c.code) });
        tag.dataset.c = c.idx;
        tag.title = c.memo || "";
        margin.appendChild(tag);
      }
      margin.style.minHeight = labelBottom > 0 ? labelBottom + "px" : "";
    }
  }

  scrollTo(s, e) {
    const turns = this.turns();
    const i = turns.findIndex((t) => t[0] <= s && s < t[1]);
    if (i < 0) return;
    const row = this.doc.children[i];
    row.scrollIntoView({ block: "center" });
    row.classList.add("dlg-flash");
    setTimeout(() => row.classList.remove("dlg-flash"), 1500);
  }

  // -- selecting ---------------------------------------------------------------------------------
  textOffset(textEl, node, offset) {
    const r = document.createRange();
    r.setStart(textEl, 0);
    r.setEnd(node, offset);
    return cpLength(r.toString());
  }

  // the selection as one span per turn (body offsets); null when nothing is selected
  selectionSpans() {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const turns = this.turns();
    const spans = [];
    for (const textEl of this.doc.querySelectorAll(".dlg-text")) {
      if (!range.intersectsNode(textEl)) continue;
      const [start, end, , text] = turns[+textEl.dataset.i];
      const len = end - start;
      const a = textEl.contains(range.startContainer) ? this.textOffset(textEl, range.startContainer, range.startOffset) : 0;
      const b = textEl.contains(range.endContainer) ? this.textOffset(textEl, range.endContainer, range.endOffset) : len;
      if (b > a && slicer(text)(a, b).trim()) spans.push([start + a, start + b]);
    }
    return spans.length ? spans : null;
  }

  onSelect() {
    const spans = this.selectionSpans();
    if (!spans) return;
    this.pending = { tid: this.get("transcript").id, spans };
    this.details = null;
    this.recode = null;
    this.refresh();
    this.filter.focus({ preventScroll: true });
  }

  onDocKey(e) {
    if (!e.shiftKey || !/Arrow(Left|Right|Up|Down)|Home|End/.test(e.key)) return;
    const sel = window.getSelection();
    if (!sel.rangeCount || !this.doc.contains(sel.anchorNode)) {
      const first = this.doc.querySelector(".dlg-text");
      if (!first) return;
      sel.collapse(first, 0);
    }
    e.preventDefault();
    const dir = /Left|Up|Home/.test(e.key) ? "backward" : "forward";
    const unit = /Up|Down/.test(e.key) ? "line" : /Home|End/.test(e.key) ? "lineboundary" : e.ctrlKey || e.altKey ? "word" : "character";
    sel.modify("extend", dir, unit);
  }

  onClick(e) {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return;
    const target = e.target.closest("[data-c], [data-s]");
    if (!target) return;
    if (target.dataset.s !== undefined && !target.dataset.c) {
      this.selectSuggestion(+target.dataset.s.split(" ")[0]);
      this.suggList.focus({ preventScroll: true });
      return;
    }
    const idx = target.dataset.c.split(" ").map(Number);
    this.details = idx.map((i) => this.codingsList[i]).filter(Boolean).map((c) => c.k);
    this.pending = null;
    this.recode = null;
    this.refresh();
  }

  // -- choosing a code ---------------------------------------------------------------------------
  visibleCodes() {
    const q = this.filter.value.trim().toLowerCase();
    const all = this.get("codebook");
    return q ? all.filter((c) => c.path.toLowerCase().includes(q) || c.id.includes(q)) : all;
  }

  renderChooser() {
    const codes = this.visibleCodes();
    const recent = this.get("recent") || [];
    this.hi = Math.min(this.hi, Math.max(codes.length - 1, 0));
    this.codeList.replaceChildren(...codes.map((c, i) => {
      const item = el("div", "dlg-code" + (i === this.hi ? " dlg-hi" : ""));
      item.setAttribute("role", "option");
      item.dataset.code = c.id;
      item.style.paddingLeft = 0.4 + c.depth * 1.1 + "em";
      const box = el("input"); box.type = "checkbox"; box.checked = this.marked.has(c.id);
      box.title = "meerdere codes tegelijk";
      box.addEventListener("click", (e) => { e.stopPropagation(); box.checked ? this.marked.add(c.id) : this.marked.delete(c.id); });
      const chip = el("span", "dlg-chip"); chip.style.background = c.color;
      const n = recent.indexOf(c.id);
      item.append(box, chip, el("span", "dlg-code-label", c.label));
      if (n >= 0 && n < 9) item.appendChild(el("kbd", null, String(n + 1)));
      item.addEventListener("mousemove", () => { if (this.hi !== i) { this.hi = i; this.renderChooser(); } });
      item.addEventListener("click", () => { this.hi = i; this.applyCodes(); });
      return item;
    }));
    const hiItem = this.codeList.children[this.hi];
    if (hiItem) hiItem.scrollIntoView({ block: "nearest" });
    this.renderDefinition(codes[this.hi]);
  }

  renderDefinition(c) {
    this.defBox.replaceChildren();
    if (!c) return;
    const add = (label, text) => { if (text) { const p = el("p"); p.append(el("b", null, label + " "), document.createTextNode(text)); this.defBox.appendChild(p); } };
    const title = el("p", "dlg-def-title", c.path);
    this.defBox.appendChild(title);
    add("Omschrijving:", c.description);
    add("Gebruik als:", c.use_when);
    add("Niet als:", c.not_when);
    if (c.examples && c.examples.length) add("Voorbeeld:", "“" + c.examples[0] + "”");
    const memo = el("textarea", "dlg-code-memo");
    memo.placeholder = "jouw memo bij deze code";
    memo.value = (this.get("code_memos") || {})[c.id] || "";
    const save = button("Memo bij code opslaan", "", () => this.send({ action: "code_memo", code: c.id, memo: memo.value }));
    this.defBox.append(memo, save);
  }

  onChooserKey(e) {
    const codes = this.visibleCodes();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      this.hi = Math.max(0, Math.min(codes.length - 1, this.hi + (e.key === "ArrowDown" ? 1 : -1)));
      this.renderChooser();
    } else if (e.key === "Enter") {
      e.preventDefault();
      this.applyCodes();
    } else if (/^[1-9]$/.test(e.key) && !this.filter.value) {
      const code = (this.get("recent") || [])[+e.key - 1];
      if (code) { e.preventDefault(); this.applyCodes([code]); }
    } else if (e.key === "Escape") {
      this.pending = null; this.recode = null; this.filter.value = ""; this.refresh(); this.doc.focus();
    }
  }

  applyCodes(codes) {
    if (!codes) {
      const hi = this.visibleCodes()[this.hi];
      codes = [...this.marked];
      if (hi && !codes.includes(hi.id)) codes.push(hi.id);
    }
    if (!codes.length) return;
    const t0 = performance.now();
    if (this.recode) {
      this.send({ action: "recode", keys: this.recode, codes, t0 });
      this.recode = null;
    } else if (this.pending) {
      this.send({ action: "apply", transcript: this.pending.tid, spans: this.pending.spans, codes, memo: this.memoInput.value, t0 });
      this.memoInput.value = "";
    } else {
      this.statusLine.textContent = "Selecteer eerst tekst in het gesprek (met de muis, of Shift + pijltjes).";
      this.statusLine.classList.add("dlg-error");
      return;
    }
    this.marked.clear();
    this.filter.value = "";
    this.hi = 0;
    this.renderChooser();
  }

  // -- the side panel: selection, details, suggestions ---------------------------------------------
  renderSide() {
    this.renderSelection();
    this.renderDetails();
    this.renderSuggestions();
  }

  renderSelection() {
    this.selBox.replaceChildren();
    const body = this.turns();
    if (this.recode) {
      this.selBox.appendChild(el("p", "dlg-hint", "Kies de nieuwe code voor deze codering (Enter)."));
      return;
    }
    if (!this.pending) {
      this.selBox.appendChild(el("p", "dlg-hint", "Selecteer tekst in het gesprek en kies een code. Klik op een markering voor de details."));
      return;
    }
    const n = this.pending.spans.length;
    this.selBox.appendChild(el("p", "dlg-sel-head", n > 1 ? `Geselecteerd in ${n} beurten (één fragment per beurt):` : "Geselecteerd:"));
    for (const [s, e] of this.pending.spans) {
      const turn = body.find((t) => t[0] <= s && e <= t[1]);
      const text = turn ? slicer(turn[3])(s - turn[0], e - turn[0]) : "";
      this.selBox.appendChild(el("blockquote", "dlg-sel", text.length > 240 ? text.slice(0, 240) + " …" : text));
    }
    const inside = (this.codingsList || []).filter((c) => this.pending.spans.some(([s, e]) => c.s <= s && e <= c.e));
    if (inside.length) {
      this.selBox.appendChild(el("p", "dlg-sel-head", "Binnen deze markering:"));
      this.selBox.appendChild(this.codingCards(inside));
    }
  }

  renderDetails() {
    this.detailBox.replaceChildren();
    if (!this.details) return;
    const list = (this.codingsList || []).filter((c) => this.details.includes(c.k));
    if (!list.length) { this.details = null; return; }
    this.detailBox.appendChild(el("h4", null, "Deze markering"));
    this.detailBox.appendChild(this.codingCards(list));
  }

  codingCards(list) {
    const box = el("div", "dlg-cards");
    for (const c of list) {
      const card = el("div", "dlg-card");
      card.style.borderLeftColor = this.colour(c.code);
      const info = this.codeInfo().get(c.code) || { path: c.code };
      card.appendChild(el("div", "dlg-card-code", info.path));
      card.appendChild(el("div", "dlg-card-meta", `door ${c.coder}${c.ts ? " · " + when(c.ts) : ""}`));
      if (c.own) {
        const memo = el("textarea", "dlg-card-memo");
        memo.value = c.memo;
        memo.placeholder = "memo bij dit fragment";
        const row = el("div", "dlg-row");
        row.append(
          button("Memo opslaan", "", () => this.send({ action: "memo", keys: [c.k], memo: memo.value })),
          button("Hercodeer", "", () => { this.recode = [c.k]; this.pending = null; this.renderSide(); this.filter.focus(); }),
          button("Verwijder", "dlg-danger", () => this.send({ action: "remove", keys: [c.k] })),
        );
        card.append(memo, row);
      } else if (c.memo) {
        card.appendChild(el("div", "dlg-card-memo-ro", "Memo: " + c.memo));
      }
      box.appendChild(card);
    }
    return box;
  }

  renderSuggestions() {
    const list = this.suggs || [];
    if (this.sugg !== null && this.sugg >= list.length) this.sugg = list.length ? list.length - 1 : 0;
    this.suggList.replaceChildren(...list.map((s, k) => {
      const item = el("div", "dlg-sugg" + (k === this.sugg ? " dlg-hi" : ""));
      item.setAttribute("role", "option");
      item.dataset.i = s.i;
      const chip = el("span", "dlg-chip"); chip.style.background = this.colour(s.code);
      const p = s.p === null || s.p === undefined ? "" : ` · ${Math.round(s.p * 100)}%`;
      item.append(chip, el("b", null, `${k + 1}. ${s.label}`), el("span", "dlg-sugg-p", p));
      if (s.reason) item.appendChild(el("div", "dlg-sugg-reason", "waarom: " + s.reason));
      const turn = this.turns().find((t) => t[0] <= s.s && s.e <= t[1]);
      if (turn) { const txt = slicer(turn[3])(s.s - turn[0], s.e - turn[0]); item.appendChild(el("div", "dlg-sugg-text", txt.length > 140 ? txt.slice(0, 140) + " …" : txt)); }
      item.addEventListener("click", () => { this.selectSuggestion(k); this.suggList.focus({ preventScroll: true }); });
      return item;
    }));
    if (!list.length) this.suggList.appendChild(el("p", "dlg-hint", "Geen suggesties voor dit gesprek (maak ze met 'dialoog suggest')."));
  }

  selectSuggestion(k) {
    this.sugg = k;
    const s = (this.suggs || [])[k];
    this.refresh();
    if (s) this.scrollTo(s.s, s.e);
  }

  onSuggKey(e) {
    const list = this.suggs || [];
    if (!list.length) return;
    const s = list[this.sugg];
    if (e.key === "ArrowDown" || e.key === "j") { e.preventDefault(); this.selectSuggestion(Math.min(this.sugg + 1, list.length - 1)); }
    else if (e.key === "ArrowUp" || e.key === "k") { e.preventDefault(); this.selectSuggestion(Math.max(this.sugg - 1, 0)); }
    else if ((e.key === "a" || e.key === "Enter") && s) { e.preventDefault(); this.send({ action: "accept", i: s.i, t0: performance.now() }); }
    else if ((e.key === "v" || e.key === "Delete") && s) { e.preventDefault(); this.send({ action: "reject", i: s.i }); }
  }

  // -- retrieval ---------------------------------------------------------------------------------
  buildRetrieval() {
    const p = this.panels.retrieve;
    this.rf = {};
    const bar = el("div", "dlg-head");
    for (const [key, label] of [["code", "Code"], ["gemeente", "Gemeente"], ["rol", "Respondentrol"], ["coder", "Codeur"]]) {
      const l = el("label", "dlg-field");
      const s = el("select");
      s.addEventListener("change", () => this.retrieve());
      l.append(el("span", null, label), s);
      bar.appendChild(l);
      this.rf[key] = s;
    }
    const sub = el("label", "dlg-check");
    this.rf.subcodes = el("input"); this.rf.subcodes.type = "checkbox"; this.rf.subcodes.checked = true;
    this.rf.subcodes.addEventListener("change", () => this.retrieve());
    sub.append(this.rf.subcodes, el("span", null, "met subcodes"));
    bar.append(sub,
      button("Exporteer CSV", "", () => this.send({ action: "export", format: "csv", filter: this.retrievalFilter() })),
      button("Exporteer Word-tabel", "", () => this.send({ action: "export", format: "docx", filter: this.retrievalFilter() })));
    this.retrievalBody = el("div", "dlg-retrieval-body");
    p.append(bar, this.retrievalBody);
  }

  renderRetrievalFilters() {
    if (!this.rf) return;
    const keep = (s) => s.value;
    const fill = (s, items, all) => { const v = keep(s); s.replaceChildren(...(all ? [option("", all)] : []), ...items.map(([k, l]) => option(k, l, k === v))); };
    fill(this.rf.code, this.get("codebook").map((c) => [c.id, "\u00a0".repeat(c.depth * 3) + c.label]), null);
    fill(this.rf.gemeente, this.get("gemeenten"), "alle gemeenten");
    fill(this.rf.rol, this.get("roles"), "alle rollen");
    fill(this.rf.coder, this.get("coders").map((c) => [c, c]), "alle codeurs");
  }

  renderCodebookForm() {
    if (!this.cbForm) this.buildCodebookForm();
    this.renderRetrievalFilters();
    const codes = this.get("codebook").map((c) => [c.id, "\u00a0".repeat(c.depth * 3) + c.label]);
    for (const s of [this.cbForm.code, this.cbForm.target]) {
      const v = s.value;
      s.replaceChildren(...(s === this.cbForm.target ? [option("", "(geen: hoofdcode)")] : []), ...codes.map(([k, l]) => option(k, l, k === v)));
    }
  }

  retrievalFilter() {
    return { code: this.rf.code.value, gemeente: this.rf.gemeente.value, rol: this.rf.rol.value, coder: this.rf.coder.value, subcodes: this.rf.subcodes.checked };
  }

  retrieve() { this.send({ action: "retrieve", filter: this.retrievalFilter() }); }

  renderRetrieval() {
    const r = this.get("retrieval") || {};
    const rows = r.rows || [];
    const table = el("table", "dlg-table");
    const head = el("tr");
    for (const h of ["Gesprek", "Rol", "Codeur", "Code", "Fragment", ""]) head.appendChild(el("th", null, h));
    table.appendChild(head);
    for (const row of rows) {
      const tr = el("tr");
      for (const v of [row.transcript, row.rol, row.coder, row.label]) tr.appendChild(el("td", null, v));
      const frag = el("td", "dlg-frag", row.text);
      if (row.memo) frag.appendChild(el("div", "dlg-card-memo-ro", "Memo: " + row.memo));
      tr.appendChild(frag);
      const td = el("td");
      td.appendChild(button("Toon in context", "", () => {
        this.jump = { tid: row.transcript, s: row.start, e: row.end };
        this.showTab("code");
        if (this.get("transcript").id === row.transcript) { this.scrollTo(row.start, row.end); this.jump = null; }
        else this.send({ action: "open", transcript: row.transcript });
      }));
      tr.appendChild(td);
      table.appendChild(tr);
    }
    const note = r.blind ? " (blind coderen: alleen je eigen fragmenten)" : "";
    this.retrievalBody.replaceChildren(el("p", null, `${rows.length} fragment(en)${note}`), table);
  }

  // -- consensus ---------------------------------------------------------------------------------
  buildConsensus() {
    const p = this.panels.consensus;
    const bar = el("div", "dlg-head");
    const l = el("label", "dlg-field");
    this.decidedBy = el("input");
    this.decidedBy.placeholder = "naam of 'team'";
    l.append(el("span", null, "Besluit door"), this.decidedBy);
    bar.append(l, button("Vergelijk de codeurs in dit gesprek", "", () => this.send({ action: "consensus" })));
    this.consensusBody = el("div");
    p.append(bar, this.consensusBody);
  }

  renderConsensus() {
    const c = this.get("consensus") || {};
    if (!c.coders) { this.consensusBody.replaceChildren(); return; }
    if (!c.units || !c.units.length) {
      this.consensusBody.replaceChildren(el("p", "dlg-hint", "Dit gesprek is nog niet door twee of meer codeurs gecodeerd."));
      return;
    }
    const turns = this.turns();
    const table = el("table", "dlg-table");
    const head = el("tr");
    for (const h of ["Beurt", "Tekst", ...c.coders, "Verschil en besluit"]) head.appendChild(el("th", null, h));
    table.appendChild(head);
    for (const u of c.units) {
      const tr = el("tr");
      tr.appendChild(el("td", null, u.unit));
      const turn = turns.find((t) => t[0] <= u.start && u.end <= t[1]);
      const text = turn ? slicer(turn[3])(u.start - turn[0], u.end - turn[0]) : "";
      tr.appendChild(el("td", "dlg-frag", text.length > 300 ? text.slice(0, 300) + " …" : text));
      for (const coder of c.coders) {
        const td = el("td");
        for (const code of u.codes[coder] || []) { const chip = el("span", "dlg-pill", this.label(code)); chip.style.borderColor = this.colour(code); td.appendChild(chip); }
        tr.appendChild(td);
      }
      const td = el("td", "dlg-decide");
      for (const d of u.differences) {
        const line = el("div", "dlg-diff");
        const chip = el("span", "dlg-pill", d.label); chip.style.borderColor = this.colour(d.code);
        line.append(chip, el("span", "dlg-diff-who", ` wel: ${d.with.join(", ")}; niet: ${d.without.join(", ")} `));
        for (const [value, label] of [["ja", "Ja, code hoort erbij"], ["nee", "Nee"]]) {
          const b = button(label, d.decision === value ? "dlg-pressed" : "", () => this.send({
            action: "decide", transcript: c.transcript, unit: d.unit, code: d.code, decision: value,
            decided_by: this.decidedBy.value || this.get("coder"), note: note.value,
          }));
          b.setAttribute("aria-pressed", String(d.decision === value));
          line.appendChild(b);
        }
        const note = el("input", "dlg-note"); note.placeholder = "toelichting"; note.value = d.note || "";
        line.appendChild(note);
        if (d.decided_by) line.appendChild(el("span", "dlg-diff-who", ` (besloten door ${d.decided_by})`));
        td.appendChild(line);
      }
      if (!u.differences.length) td.appendChild(el("span", "dlg-hint", "eens"));
      tr.appendChild(td);
      table.appendChild(tr);
    }
    this.consensusBody.replaceChildren(el("p", null, `${c.open} verschil(len) open, ${c.decided} besloten. Zodra alles besloten is, staat de consensus in consensus/consensus.csv.`), table);
  }

  // -- codebook ----------------------------------------------------------------------------------
  buildCodebookForm() {
    const p = this.panels.codebook;
    const f = (this.cbForm = {});
    const field = (key, label, input) => { const l = el("label", "dlg-field"); l.append(el("span", null, label), input); p.appendChild(l); f[key] = input; f[key + "Label"] = l; return input; };
    const op = field("op", "Wijziging", el("select"));
    for (const [v, l] of [["add", "Toevoegen"], ["rename", "Hernoemen"], ["move", "Verplaatsen"], ["merge", "Samenvoegen"]]) op.appendChild(option(v, l));
    field("code", "Code", el("select"));
    field("target", "Ouder / samenvoegen in", el("select"));
    field("new_id", "Nieuw id", el("input")).placeholder = "bijv. buurtapp";
    field("label", "Label", el("input"));
    field("description", "Omschrijving", el("textarea"));
    const show = () => {
      const v = op.value;
      f.codeLabel.hidden = v === "add";
      f.targetLabel.hidden = !["add", "move", "merge"].includes(v);
      f.new_idLabel.hidden = f.labelLabel.hidden = !["add", "rename"].includes(v);
      f.descriptionLabel.hidden = v !== "add";
    };
    op.addEventListener("change", show);
    show();
    p.appendChild(button("Codeboek wijzigen", "dlg-primary", () => {
      this.send({ action: "codebook", op: op.value, code: f.code.value, target: f.target.value, new_id: f.new_id.value, label: f.label.value, description: f.description.value });
      f.new_id.value = f.label.value = f.description.value = "";
    }));
  }
}

function render({ model, el: root }) {
  const ui = new CoderUI(model, root);
  return () => ui.root.remove();
}

export default { render };
