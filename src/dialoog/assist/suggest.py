"""Code suggestions: from the codebook's keywords and from a model trained on the coders' codings.

Stable API (used by the coding notebook)::

    from dialoog.assist.suggest import Suggestion, load_suggestions, accept, reject

    for s in load_suggestions(study, "schiedam-01", coder="anouk"):   # best first within each segment
        print(s.start, s.end, s.code, s.score, s.source, s.reason)    # s.text == transcript.body[s.start:s.end]
    coding = accept(study, s, "anouk")   # appends a Coding to codings/anouk.csv, returns it
    reject(study, s, "anouk")            # remembered in suggestions/rejected/anouk.csv; not shown again

`study` is a `dialoog.study.folder.Study` or the path of a study folder. Suggestions are written by
`dialoog suggest` (or `write_suggestions`) and stored apart from the codings:

- ``suggestions/<transcript>.csv``: columns ``transcript,start,end,text,code,score,source,reason``,
  one row per (segment, code), sorted by offset; `start`/`end` are character offsets into the transcript
  body, exactly like codings, and `text` is a copy of the segment (an edited transcript is detected).
- ``suggestions/rejected/<coder>.csv``: columns ``transcript,start,end,code,coder,timestamp``.

A suggestion becomes a coding only through `accept`.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
import simplemma
from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from dialoog.assist.nlp import (
    Segment,
    is_interviewer,
    joined_text,
    lemmatize_text,
    parse,
    pipeline_for,
    segments_and_offsets,
    token_arrays,
)
from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, locked
from dialoog.study import codings as codings_mod
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding
from dialoog.study.folder import Study, open_study
from dialoog.study.schemas.rows import REJECTED_COLUMNS, SOURCES, SUGGESTION_COLUMNS, RejectedRow, SuggestionRow
from dialoog.study.transcripts import Transcript
from dialoog.study.yamlload import raise_problems, read_rows

DIRNAME = "suggestions"


@dataclass(frozen=True)
class Suggestion:
    """A suggested code for a segment (a sentence of a speaker turn) of a transcript."""

    transcript: str
    start: int  #: character offset into the transcript body (as in codings)
    end: int
    text: str  #: copy of body[start:end]
    code: str
    score: float  #: 0..1; for the model its probability, for keywords a match strength
    source: str  #: 'keywords' or 'model'
    reason: str  #: the matched words ('keywords') or the model's top features ('model')

    def key(self) -> tuple[str, int, int, str]:
        return (self.transcript, self.start, self.end, self.code)

    def sort_key(self) -> tuple:
        return (self.transcript, self.start, self.end, -self.score, self.code, self.source)

    def row(self) -> list[str]:
        return [
            self.transcript,
            str(self.start),
            str(self.end),
            self.text,
            self.code,
            f"{self.score:.3f}",
            self.source,
            self.reason,
        ]


# -- the API -----------------------------------------------------------------------------------


def _study(study: Study | Path | str) -> Study:
    return study if isinstance(study, Study) else open_study(study, strict=False)


def suggestions_dir(study: Study | Path | str) -> Path:
    return _study(study).root / DIRNAME


def suggestions_path(study: Study | Path | str, transcript_id: str) -> Path:
    return suggestions_dir(study) / f"{transcript_id}.csv"


def rejected_path(study: Study | Path | str, coder: str) -> Path:
    return suggestions_dir(study) / "rejected" / f"{codings_mod.coder_name(coder)}.csv"


def load_suggestions(
    study: Study | Path | str, transcript_id: str, coder: str | None = None, *, min_score: float = 0.0
) -> list[Suggestion]:
    """The stored suggestions of one transcript, sorted by offset and then by score (best first).

    With `coder`, suggestions that coder has already coded (same code on an overlapping span) or
    rejected are left out. A transcript without suggestions gives an empty list.
    """
    st = _study(study)
    path = suggestions_path(st, transcript_id)
    if not path.is_file():
        return []
    out = [s for s in read_suggestions(path) if s.score >= min_score]
    transcript = st.transcripts.get(transcript_id)
    if transcript is not None:
        stale = [s for s in out if transcript.body[s.start : s.end] != s.text]
        if stale:
            raise DialoogError(
                f"{len(stale)} suggestion(s) no longer match transcript '{transcript_id}'",
                path=path,
                hint="the transcript was edited after 'dialoog suggest'; run 'dialoog suggest' again",
            )
    if coder is not None:
        done = _coded_spans(st, coder, transcript_id)
        rejected = {r[:4] for r in read_rejected(rejected_path(st, coder))}
        out = [s for s in out if s.key() not in rejected and not _overlaps_any(s, done.get(s.code, []))]
    return sorted(out, key=Suggestion.sort_key)


def accept(study: Study | Path | str, suggestion: Suggestion, coder: str, memo: str = "") -> Coding:
    """Turn a suggestion into a coding of `coder` (appended to ``codings/<coder>.csv``); returns it.

    Accepting a suggestion the coder already has (same span and code) returns the existing coding.
    """
    st = _study(study)
    coder = codings_mod.coder_name(coder)
    transcript = st.transcripts.get(suggestion.transcript)
    if transcript is None:
        raise DialoogError(f"unknown transcript '{suggestion.transcript}'", path=st.interviews_dir)
    if suggestion.code not in st.codebook:
        raise DialoogError(
            f"unknown code '{suggestion.code}'", path=st.codebook_path, hint="run 'dialoog suggest' again"
        )
    if transcript.body[suggestion.start : suggestion.end] != suggestion.text:
        raise DialoogError(
            f"the suggestion no longer matches transcript '{suggestion.transcript}'",
            path=transcript.path,
            hint="the transcript was edited after 'dialoog suggest'; run 'dialoog suggest' again",
        )
    from dialoog.study.codings import update_codings  # locked re-read-then-write: no lost updates

    key = (suggestion.transcript, suggestion.start, suggestion.end, suggestion.code)
    new = codings_mod.make(transcript, suggestion.start, suggestion.end, suggestion.code, coder, memo)

    def add(rows: list[Coding]) -> list[Coding]:
        return rows if any(c.sort_key() == key for c in rows) else [*rows, new]

    rows = update_codings(st.codings_path(coder), add)
    st.__dict__.pop("codings", None)  # the cached codings are stale now
    return next(c for c in rows if c.sort_key() == key)


def reject(study: Study | Path | str, suggestion: Suggestion, coder: str) -> None:
    """Remember that `coder` rejected this suggestion (``suggestions/rejected/<coder>.csv``)."""
    st = _study(study)
    coder = codings_mod.coder_name(coder)
    path = rejected_path(st, coder)
    with locked([path]):  # the same lock as every write to a shared study file: no rejection is lost
        rows = read_rejected(path)
        if any(r[:4] == suggestion.key() for r in rows):
            return
        rows.append((*suggestion.key(), coder, codings_mod.now()))
        rows_out = sorted([[r[0], str(r[1]), str(r[2]), *r[3:]] for r in rows], key=_row_key)
        _write_csv(path, REJECTED_COLUMNS, rows_out)


# -- files -------------------------------------------------------------------------------------


def _row_key(row: list[str]) -> tuple:
    return (row[0], int(row[1]), int(row[2]), *row[3:])


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[list[str]]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def read_suggestions(path: Path) -> list[Suggestion]:
    """One transcript's suggestions (schema: `dialoog.study.schemas.rows.SuggestionRow`)."""
    rows, problems = read_rows(path, SUGGESTION_COLUMNS, SuggestionRow)
    raise_problems(problems)
    return [Suggestion(**row.model_dump()) for _, row in rows]


def write_suggestions(path: Path, suggestions: Iterable[Suggestion]) -> None:
    """Write one transcript's suggestions atomically, sorted (diff-friendly)."""
    _write_csv(path, SUGGESTION_COLUMNS, [s.row() for s in sorted(suggestions, key=Suggestion.sort_key)])


def read_rejected(path: Path) -> list[tuple[str, int, int, str, str, str]]:
    """A coder's rejected suggestions (schema: `dialoog.study.schemas.rows.RejectedRow`)."""
    if not Path(path).is_file():
        return []
    rows, problems = read_rows(path, REJECTED_COLUMNS, RejectedRow)
    raise_problems(problems)
    return [(r.transcript, r.start, r.end, r.code, r.coder, r.timestamp) for _, r in rows]


def _coded_spans(study: Study, coder: str, transcript_id: str) -> dict[str, list[tuple[int, int]]]:
    path = study.codings_path(coder)
    out: dict[str, list[tuple[int, int]]] = {}
    if path.is_file():
        for c in codings_mod.read(path):
            if c.transcript == transcript_id:
                out.setdefault(c.code, []).append((c.start, c.end))
    return out


def _overlaps_any(s: Suggestion, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s.start < end and start < s.end for start, end in spans)


# -- keyword suggestions -----------------------------------------------------------------------

#: Particles of Dutch separable verbs ("naroepen": "ze riepen me na").
SEPARABLE_PARTICLES = (
    "aan",
    "achter",
    "af",
    "bij",
    "binnen",
    "door",
    "in",
    "mee",
    "na",
    "om",
    "op",
    "over",
    "samen",
    "tegen",
    "terug",
    "toe",
    "uit",
    "voor",
    "weg",
)
#: How many words may stand between the verb and its particle.
SEPARABLE_GAP = 8


@functools.lru_cache(maxsize=64)
def keyword_score(n_keywords: int) -> float:
    """Match strength of a segment in which `n_keywords` distinct keywords of a code were found."""
    return round(1 - 0.4**n_keywords, 3)


class KeywordMatcher:
    """Matches the codebook's keywords on lemmas: words and phrases with spaCy's PhraseMatcher on LEMMA, and
    separable verbs ("naroepen" in "ze riepen me na") as the verb's lemma followed, within the sentence and
    at most `SEPARABLE_GAP` words later, by its particle."""

    def __init__(self, nlp: Language, codebook: Codebook) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp
        strings = nlp.vocab.strings
        self.phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.keyword_of: dict[int, tuple[str, str]] = {}  # match id -> (code, keyword)
        self.verbs: dict[int, list[tuple[int, int]]] = {}  # verb lemma id -> [(particle lower id, match id)]
        for code in codebook.codes.values():
            for keyword in code.keywords:
                lemmas = lemmatize_text(nlp, keyword) if keyword.strip() else []
                if not lemmas:
                    continue
                key = f"{code.id}\t{keyword}"
                match_id = strings.add(key)
                self.keyword_of[match_id] = (code.id, keyword)
                self.phrases.add(key, [Doc(nlp.vocab, words=lemmas, lemmas=lemmas)])
                separable = _split_separable(lemmas[0]) if len(lemmas) == 1 else None
                if separable:
                    particle, verb = separable
                    self.verbs.setdefault(strings.add(verb), []).append((strings.add(particle), match_id))
        self._verb_ids = numpy.array(sorted(self.verbs), dtype="uint64")

    def matches(self, doc: Doc) -> list[tuple[str, str, int, int]]:
        """(code, keyword, start_char, end_char) of every keyword found in a processed Doc."""
        ids, starts, ends = self.match_spans(doc)
        keyword_of = self.keyword_of
        return [(*keyword_of[m], s, e) for m, s, e in zip(ids.tolist(), starts.tolist(), ends.tolist(), strict=True)]

    def match_spans(self, doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """The match ids (keys of `keyword_of`), start chars and end chars of the keywords found in a Doc."""
        found = self.phrases(doc) if len(doc) else []
        arrays = token_arrays(doc) if len(doc) else None
        if arrays is not None and len(self._verb_ids):
            lemma, lower, sent_start = arrays.lemma, arrays.lower, arrays.sent_start
            n = len(doc)
            is_verb = lemma == self._verb_ids[0]
            for verb in self._verb_ids[1:]:  # a handful of verbs: faster than numpy.isin
                is_verb |= lemma == verb
            for i in numpy.flatnonzero(is_verb).tolist():
                for particle, match_id in self.verbs[int(lemma[i])]:
                    for j in range(i + 1, min(i + 1 + SEPARABLE_GAP + 1, n)):
                        if sent_start[j] == 1:  # next sentence
                            break
                        if int(lower[j]) == particle:
                            found.append((match_id, i, j + 1))
                            break
        if not found:
            empty = numpy.zeros(0, dtype="int64")
            return numpy.zeros(0, dtype="uint64"), empty, empty
        spans = numpy.array(found, dtype="uint64")
        first, last = spans[:, 1].astype("int64"), spans[:, 2].astype("int64") - 1
        return spans[:, 0], arrays.idx[first], arrays.idx[last] + arrays.length[last]


def _split_separable(lemma: str) -> tuple[str, str] | None:
    """('na', 'roepen') for 'naroepen'; None when the lemma is not a separable verb."""
    if not lemma.endswith("en") or not lemma.isalpha():
        return None
    for particle in sorted(SEPARABLE_PARTICLES, key=len, reverse=True):
        rest = lemma[len(particle) :]
        if lemma.startswith(particle) and len(rest) >= 4 and rest.endswith("en") and simplemma.is_known(rest, "nl"):
            return particle, rest
    return None


def keyword_suggestions(
    matcher: KeywordMatcher,
    transcript: Transcript,
    doc: Doc,
    segs: list[Segment],
    spans: numpy.ndarray | None = None,
) -> list[Suggestion]:
    """Keyword suggestions for the sentence segments `segs` of a transcript, processed as `doc` (the Doc
    of its joined turns, see `dialoog.assist.nlp.parse`). Interviewer turns get none.

    `spans`, where each segment starts and ends in the Doc's text, is computed when not given (see
    `dialoog.assist.nlp.segments_and_offsets`, which gives both).
    """
    if not segs:
        return []
    text, offsets = joined_text(transcript, doc)
    if spans is None:
        turns = transcript.turns
        starts = [offsets[seg.turn] + seg.start - turns[seg.turn].start for seg in segs]
        spans = numpy.array([(a, a + seg.end - seg.start) for a, seg in zip(starts, segs, strict=True)], dtype="int64")
    ids, match_starts, match_ends = matcher.match_spans(doc)
    if not len(ids):
        return []
    # the segment of each match: it must lie within the segment and not be a question of the interviewer
    seg_starts, seg_ends = spans[:, 0], spans[:, 1]
    at = numpy.searchsorted(seg_starts, match_starts, side="right") - 1
    inside = (at >= 0) & (match_ends <= seg_ends[at])
    interviewer = {turn.index for turn in transcript.turns if is_interviewer(turn.speaker)}
    keyword_of = matcher.keyword_of
    found: dict[tuple[int, str], list[str]] = {}
    for i, m, s, e in zip(
        at[inside].tolist(),
        ids[inside].tolist(),
        match_starts[inside].tolist(),
        match_ends[inside].tolist(),
        strict=True,
    ):
        if segs[i].turn in interviewer:
            continue
        words = found.setdefault((i, keyword_of[m][0]), [])
        if text[s:e].lower() not in (w.lower() for w in words):
            words.append(text[s:e])
    out = []
    # as Suggestion(...), without the frozen dataclass's field-by-field __init__ (see dialoog.assist.nlp.segments)
    new, set_dict = object.__new__, object.__setattr__
    for (i, code), words in sorted(found.items()):
        seg = segs[i]
        suggestion = new(Suggestion)
        set_dict(
            suggestion,
            "__dict__",
            {
                "transcript": seg.transcript,
                "start": seg.start,
                "end": seg.end,
                "text": seg.text,
                "code": code,
                "score": keyword_score(len(words)),
                "source": "keywords",
                "reason": "; ".join(['"' + w + '"' for w in words]),
            },
        )
        out.append(suggestion)
    return out


def analyse(
    nlp: Language, matcher: KeywordMatcher | None, transcripts: Iterable[Transcript], with_lemmas: bool = True
) -> Iterator[tuple[Transcript, list[Segment], list[Suggestion]]]:
    """Segment transcripts and match keywords, running the pipeline once per transcript.

    Yields (transcript, sentence segments, keyword suggestions) per transcript, in order. The segments'
    lemmas (needed by the learned model, not by the keywords) are filled in only `with_lemmas`.
    """
    for t, doc in parse(nlp, transcripts):
        segs, spans = segments_and_offsets(t, doc, with_lemmas)
        yield t, segs, (keyword_suggestions(matcher, t, doc, segs, spans) if matcher is not None else [])


# -- the learned model -------------------------------------------------------------------------


def _features(lemmas: tuple[str, ...]) -> list[str]:
    """Lemmas and pairs of adjacent lemmas (function words included: "niet", "zou" carry meaning here)."""
    words = [w for w in lemmas if w.isalpha()]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def segment_labels(segs: list[Segment], codings: Iterable[Coding]) -> list[set[str]]:
    """The codes of each segment: those of codings covering at least half of it."""
    by_transcript: dict[str, list[Coding]] = {}
    for c in codings:
        by_transcript.setdefault(c.transcript, []).append(c)
    out = []
    for seg in segs:
        codes = set()
        for c in by_transcript.get(seg.transcript, ()):
            overlap = min(seg.end, c.end) - max(seg.start, c.start)
            if overlap > 0 and 2 * overlap >= seg.end - seg.start:
                codes.add(c.code)
        out.append(codes)
    return out


class CodeModel:
    """One logistic regression per code on TF-IDF of lemmas and lemma pairs, trained on coded segments.

    Trained from scratch on every run (a few hundred segments take well under a second), so it follows
    the coders' newest codings, including accepted suggestions; it never needs the internet.
    """

    def __init__(
        self, min_examples: int = 3, threshold: float = 0.5, top_features: int = 3, min_words: int = 4
    ) -> None:
        self.min_examples = min_examples
        self.min_words = min_words  # shorter segments ("Nee.", "Ja, klopt.") get no model suggestions
        self.threshold = threshold
        self.top_features = top_features
        self.models: dict[str, object] = {}
        self.vectorizer = None

    def fit(self, segs: list[Segment], labels: list[set[str]]) -> CodeModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.models = {}
        keep = [i for i, s in enumerate(segs) if not s.interviewer]
        if not keep:
            return self
        docs = [_features(segs[i].lemmas) for i in keep]
        self.vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2)
        try:
            x = self.vectorizer.fit_transform(docs)
        except ValueError:  # no feature occurs twice
            self.vectorizer = None
            return self
        codes = sorted({c for i in keep for c in labels[i]})
        for code in codes:
            y = [code in labels[i] for i in keep]
            if sum(y) < self.min_examples or all(y):
                continue
            clf = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear")
            clf.fit(x, y)
            self.models[code] = clf
        return self

    def predict(self, segs: list[Segment]) -> list[Suggestion]:
        if not self.models or self.vectorizer is None:
            return []
        keep = [s for s in segs if not s.interviewer and len(s.lemmas) >= self.min_words]
        if not keep:
            return []
        x = self.vectorizer.transform([_features(s.lemmas) for s in keep])
        names = self.vectorizer.get_feature_names_out()
        out = []
        for code, clf in self.models.items():
            proba = clf.predict_proba(x)[:, 1]
            coef = clf.coef_[0]
            for row, (seg, p) in enumerate(zip(keep, proba, strict=True)):
                if p < self.threshold:
                    continue
                vec = x.getrow(row)
                contrib = sorted(
                    ((vec.data[k] * coef[j], names[j]) for k, j in enumerate(vec.indices) if coef[j] > 0), reverse=True
                )
                # the reason shows content words first: function words alone make a poor reason
                content = [name for _, name in contrib if not all(w in STOP_WORDS for w in name.split())]
                shown = (content or [name for _, name in contrib])[: self.top_features]
                reason = ", ".join(shown)
                out.append(
                    Suggestion(seg.transcript, seg.start, seg.end, seg.text, code, round(float(p), 3), "model", reason)
                )
        return out


def _identity(features: list[str]) -> list[str]:
    return features


# -- running and evaluating --------------------------------------------------------------------


@dataclass
class Analysed:
    """Segments and keyword suggestions of a study's transcripts."""

    segments: dict[str, list[Segment]]
    keywords: dict[str, list[Suggestion]]


def analyse_study(study: Study, transcript_ids: Iterable[str] | None = None) -> Analysed:
    nlp = pipeline_for(study)
    matcher = KeywordMatcher(nlp, study.codebook)
    ids = set(study.transcripts) if transcript_ids is None else set(transcript_ids)
    todo = [t for tid, t in study.transcripts.items() if tid in ids]
    result = Analysed({}, {})
    for t, segs, found in analyse(nlp, matcher, todo):
        result.segments[t.id] = segs
        result.keywords[t.id] = found
    return result


def run_suggest(study: Study, transcript_ids: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Write ``suggestions/<id>.csv`` for the given transcripts; returns {id: (keyword, model) counts}.

    The model is trained on all coders' codings of all transcripts of the study.
    """
    ids = list(transcript_ids)
    analysed = analyse_study(study)  # all transcripts: the model learns from every coded one
    coded = {c.transcript for c in study.codings}
    train = [s for tid in sorted(coded) for s in analysed.segments.get(tid, [])]
    model = CodeModel().fit(train, segment_labels(train, study.codings))
    counts = {}
    for tid in ids:
        kw = analysed.keywords.get(tid, [])
        learned = model.predict(analysed.segments.get(tid, []))
        write_suggestions(suggestions_path(study, tid), [*kw, *learned])
        counts[tid] = (len(kw), len(learned))
    return counts


@dataclass(frozen=True)
class Score:
    code: str
    source: str
    suggested: int
    correct: int
    coded: int
    found: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.found / self.coded if self.coded else None


def score(suggestions: list[Suggestion], codings: list[Coding], codes: Iterable[str], source: str) -> list[Score]:
    """Per code: a suggestion is correct when it overlaps a coding of its code in its transcript; a coding
    is found when a suggestion of its code overlaps it."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for c in codings:
        spans.setdefault((c.transcript, c.code), []).append((c.start, c.end))
    sugg: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for s in suggestions:
        sugg.setdefault((s.transcript, s.code), []).append((s.start, s.end))

    def hit(a: tuple[int, int], others: list[tuple[int, int]]) -> bool:
        return any(a[0] < e and s < a[1] for s, e in others)

    out = []
    for code in codes:
        mine = [s for s in suggestions if s.code == code]
        coded = [c for c in codings if c.code == code]
        correct = sum(hit((s.start, s.end), spans.get((s.transcript, code), [])) for s in mine)
        found = sum(hit((c.start, c.end), sugg.get((c.transcript, code), [])) for c in coded)
        out.append(Score(code, source, len(mine), correct, len(coded), found))
    return out


def evaluate(study: Study, coder: str, sources: Iterable[str] = SOURCES) -> list[Score]:
    """Precision and recall per code of the suggestions against `coder`'s codings, on the transcripts
    that coder coded; the model is evaluated leave-one-transcript-out (trained on the coder's other
    transcripts)."""
    coder = codings_mod.coder_name(coder)
    mine = [c for c in study.codings if c.coder == coder]
    if not mine:
        raise DialoogError(
            f"coder '{coder}' has no valid codings", path=study.codings_path(coder), hint="code some segments first"
        )
    ids = sorted({c.transcript for c in mine})
    analysed = analyse_study(study, ids)
    codes = [c.id for c in study.codebook.walk()]
    out: list[Score] = []
    if "keywords" in sources:
        kw = [s for tid in ids for s in analysed.keywords[tid]]
        out.extend(score(kw, mine, codes, "keywords"))
    if "model" in sources:
        labels = {tid: segment_labels(analysed.segments[tid], mine) for tid in ids}
        predicted: list[Suggestion] = []
        for held_out in ids:
            train = [
                (s, lab)
                for tid in ids
                if tid != held_out
                for s, lab in zip(analysed.segments[tid], labels[tid], strict=True)
            ]
            model = CodeModel().fit([s for s, _ in train], [lab for _, lab in train])
            predicted.extend(model.predict(analysed.segments[held_out]))
        out.extend(score(predicted, mine, codes, "model"))
    return out
