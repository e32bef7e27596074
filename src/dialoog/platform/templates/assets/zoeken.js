/* LHBT-platform: full-text search and filters on the prebuilt index in zoekindex.js (no server, no CDN). */
(function () {
  "use strict";
  var I = window.PLATFORM_INDEX;
  var form = document.getElementById("zoeken");
  if (!I || !form) { return; }
  var root = document.documentElement.getAttribute("data-root") || "";
  var PAGE = 20;
  var shown = PAGE;
  var list = document.getElementById("resultaten");
  var count = document.getElementById("aantal");
  var more = document.getElementById("meer");
  var q = document.getElementById("q");
  var facets = ["thema", "doelgroep", "gemeente", "soort", "status"];
  var werkt = document.getElementById("f-werkt");
  var decoded = {};

  function tokens(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^a-z0-9]+/).filter(function (t) { return t.length > 0; });
  }

  function postings(k) {  // [doc, weight, delta, weight, ...] -> {doc: weight}
    if (decoded[k]) { return decoded[k]; }
    var row = I.posting[k], out = {}, doc = 0;
    for (var n = 0; n < row.length; n += 2) { doc += row[n]; out[doc] = row[n + 1]; }
    decoded[k] = out;
    return out;
  }

  function lowerBound(word) {
    var lo = 0, hi = I.woorden.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (I.woorden[mid] < word) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  function matches(term) {  // every token starting with `term`; the best weight per document
    var out = {};
    for (var k = lowerBound(term); k < I.woorden.length && I.woorden[k].lastIndexOf(term, 0) === 0; k++) {
      var p = postings(k);
      for (var doc in p) { if (!(doc in out) || out[doc] < p[doc]) { out[doc] = p[doc]; } }
    }
    return out;
  }

  function search(text) {  // {doc: score} for documents that match every word, or null for no words
    var terms = tokens(text);
    if (!terms.length) { return null; }
    var scores = matches(terms[0]);
    for (var t = 1; t < terms.length; t++) {
      var next = matches(terms[t]), both = {};
      for (var doc in scores) { if (doc in next) { both[doc] = scores[doc] + next[doc]; } }
      scores = both;
    }
    return scores;
  }

  function selected() {
    var f = {};
    facets.forEach(function (name) {
      var v = document.getElementById("f-" + name).value;
      f[name] = v === "" ? null : parseInt(v, 10);
    });
    return f;
  }

  function keep(d, f) {
    if (f.gemeente !== null && d.g !== f.gemeente) { return false; }
    if (f.soort !== null && d.s !== f.soort) { return false; }
    if (f.status !== null && d.st !== f.status) { return false; }
    if (f.thema !== null && d.t.indexOf(f.thema) < 0) { return false; }
    if (f.doelgroep !== null && d.d.indexOf(f.doelgroep) < 0) { return false; }
    if (werkt.checked && !d.w) { return false; }
    return true;
  }

  function item(d) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + d.u;
    a.textContent = d.n;
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [I.facetten.gemeente[d.g], I.facetten.soort[d.s], I.facetten.status[d.st]].join(" · ");
    li.appendChild(a);
    li.appendChild(meta);
    if (d.x) { var p = document.createElement("span"); p.className = "werkt"; p.textContent = d.x; li.appendChild(p); }
    return li;
  }

  function remember() {
    var params = new URLSearchParams();
    if (q.value.trim()) { params.set("q", q.value.trim()); }
    facets.forEach(function (name) { var v = document.getElementById("f-" + name).value; if (v !== "") { params.set(name, v); } });
    if (werkt.checked) { params.set("werkt", "1"); }
    try { history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname); } catch (e) { /* file:// */ }
  }

  function run(resetPage) {
    if (resetPage) { shown = PAGE; }
    var scores = search(q.value), f = selected(), hits = [];
    for (var n = 0; n < I.docs.length; n++) {
      if ((scores === null || n in scores) && keep(I.docs[n], f)) { hits.push(n); }
    }
    hits.sort(function (a, b) {
      var s = scores === null ? 0 : scores[b] - scores[a];
      return s !== 0 ? s : I.docs[a].n.localeCompare(I.docs[b].n, "nl");
    });
    var frag = document.createDocumentFragment();
    hits.slice(0, shown).forEach(function (n) { frag.appendChild(item(I.docs[n])); });
    list.replaceChildren(frag);
    count.textContent = hits.length === 0 ? "Geen initiatieven gevonden. Probeer andere woorden of minder filters."
      : hits.length === 1 ? "1 initiatief gevonden." : hits.length + " initiatieven gevonden.";
    more.hidden = hits.length <= shown;
    remember();
  }

  var timer = null;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(true); }, 150); });
  form.addEventListener("change", function () { run(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
  form.addEventListener("reset", function () { setTimeout(function () { run(true); }, 0); });
  more.addEventListener("click", function () {
    var first = shown;
    shown += PAGE;
    run(false);
    var next = list.children[first];
    if (next) { next.querySelector("a").focus(); }
  });

  var params = new URLSearchParams(location.search);
  q.value = params.get("q") || "";
  facets.forEach(function (name) { var v = params.get(name); if (v !== null) { document.getElementById("f-" + name).value = v; } });
  werkt.checked = params.get("werkt") === "1";
  run(true);
}());
