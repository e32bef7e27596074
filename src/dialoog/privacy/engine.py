"""deduce, loaded once per process: its lookup cache, built on first use with progress, then loaded fast.

The cache lives in `cache_dir()` (the user's cache folder, or ``$DIALOOG_CACHE_DIR``), never inside
site-packages. Only the annotators dialoog needs are run (`DEDUCE_ANNOTATORS`); dates, ages, phone numbers,
e-mail addresses, URLs, postcodes, P.O. boxes, streets by their suffix and long numbers are found by dialoog's own
patterns (`dialoog.privacy.patterns`), which run over the whole text at C speed: each disabled annotator
saves a pass over deduce's tokens.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# -- deduce, loaded once --------------------------------------------------------------------------

_ENGINE_LOCK = threading.Lock()
_DEDUCE: Any = None


def cache_dir() -> Path:
    """Where deduce's lookup cache lives: ``$DIALOOG_CACHE_DIR`` or the user's cache folder."""
    env = os.environ.get("DIALOOG_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("dialoog", appauthor=False))
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return Path.home() / ".cache" / "dialoog"


@contextlib.contextmanager
def _quiet_root_logger() -> Any:
    """deduce calls logging.basicConfig(stdout, DEBUG) on import: undo whatever it adds to the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)


def _import_deduce() -> Any:
    with _quiet_root_logger():
        import deduce

    return deduce


def _deduce_cache_path() -> Path:
    deduce = _import_deduce()
    return cache_dir() / f"deduce-{deduce.__version__}"


def _build_cache(cache_path: Path, progress: Callable[[str], None]) -> None:
    """Build deduce's lookup structures step by step (reporting progress) and save them as its cache."""
    from docdeid.ds import DsCollection, LookupSet

    deduce = _import_deduce()
    from deduce import lookup_structs as ls
    from deduce.data.lookup.src import all_lists

    lookup_path = Path(deduce.__file__).parent / "data" / "lookup"
    with _quiet_root_logger():
        tokenizer = deduce.Deduce._initialize_tokenizer(lookup_path)
        steps = len(ls._LOOKUP_SET_LOADERS) + len(ls._LOOKUP_TRIE_LOADERS) + 2
        started = time.perf_counter()

        def step(i: int, what: str) -> None:
            progress(f"  [{i}/{steps}] {what} ({time.perf_counter() - started:.0f} s)")

        step(1, "reading the name, street and place lists")
        base = ls.load_raw_itemsets(base_path=lookup_path, subdirs=all_lists)
        structs = DsCollection()
        for name in set(base) - set(ls._LOOKUP_SET_LOADERS) - set(ls._LOOKUP_TRIE_LOADERS):
            s = LookupSet()
            s.add_items_from_iterable(base[name])
            structs[name] = s
        i = 1
        for name, loader in ls._LOOKUP_SET_LOADERS.items():
            i += 1
            step(i, f"building {name}")
            structs[name] = loader(base)
        for name, loader in ls._LOOKUP_TRIE_LOADERS.items():
            i += 1
            step(i, f"building {name.replace('_', ' ')} lookup")
            structs[name] = loader(base, tokenizer)
        step(steps, f"saving the cache to {cache_path}")
        ls.cache_lookup_structs(lookup_structs=structs, cache_path=cache_path, deduce_version=deduce.__version__)
    progress(f"  done in {time.perf_counter() - started:.0f} s; later runs load the cache in a few seconds")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def engine(progress: Callable[[str], None] | None = _stderr) -> Any:
    """The process-wide deduce instance with the annotators dialoog runs (loaded on first use from dialoog's own
    lookup cache, `slim_cache`, which is built if needed)."""
    global _DEDUCE
    if _DEDUCE is not None:
        return _DEDUCE
    with _ENGINE_LOCK:
        if _DEDUCE is not None:
            return _DEDUCE
        data = _load_pickle(slim_cache(progress))
        structs = data["structs"]
        _HOSPITALS.update(data["hospitals"])
        with _quiet_root_logger():
            _DEDUCE = _slim_deduce(structs)
        return _DEDUCE


def full_engine() -> Any:
    """deduce as it comes, with all its annotators and lookup lists (for comparisons: `benchmarks/`)."""
    deduce = _import_deduce()
    cache_path = _deduce_cache_path()
    _ensure_full_cache(cache_path, _stderr)
    with _quiet_root_logger():
        return deduce.Deduce(cache_path=cache_path)


def _load_pickle(path: Path) -> Any:
    was_enabled = gc.isenabled()
    gc.disable()  # loading creates many objects; pausing the collector is much faster
    try:
        with path.open("rb") as f:
            data = pickle.load(f)  # noqa: S301 - our own cache file in the user's cache folder
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
    return data


def _ensure_full_cache(cache_path: Path, progress: Callable[[str], None] | None) -> Path:
    full = cache_path / "cache" / "lookup_structs.pickle"
    if not full.is_file():
        report = progress or (lambda _m: None)
        report(f"building deduce's lookup cache (first run only, 1-3 minutes) in {cache_path}")
        _build_cache(cache_path, report)
    return full


#: dialoog's lookup cache beside deduce's: only the structures its annotators use; and the street names.
SLIM_FILE = "dialoog-lookup-1.pickle"  # the number changes with what the file holds, so that it is rebuilt
STREETS_FILE = "dialoog-streets-1.pickle"
#: deduce's lookup structures that dialoog leaves out: lists of annotators it does not run (`DEDUCE_DISABLED`).
_UNUSED_STRUCTS = {"street", "placename", "hospital", "healthcare_institution", "eponymous_disease"}


def slim_cache(progress: Callable[[str], None] | None = _stderr) -> Path:
    """dialoog's lookup cache (built on first use from deduce's full cache, which is built first if needed):
    deduce's name and word lists without the large street and institution tries (a few MB instead of 80, loaded
    in a fraction of the time), and beside it the street names as a set (`street_names`). Rebuilt when deduce's
    version (the folder) or its cache changes."""
    cache_path = _deduce_cache_path()
    slim = cache_path / "cache" / SLIM_FILE
    full = _ensure_full_cache(cache_path, progress)
    streets = slim.with_name(STREETS_FILE)
    if all(p.is_file() and p.stat().st_mtime >= full.stat().st_mtime for p in (slim, streets)):
        return slim
    from docdeid.ds import DsCollection

    from dialoog.fileio import atomic_write_bytes

    report = progress or (lambda _m: None)
    report(f"  writing dialoog's lookup cache (first run only, about a minute) to {slim}")
    structs = _load_pickle(full)["lookup_structs"]
    kept = DsCollection()
    for name in structs.keys():
        if name not in _UNUSED_STRUCTS:
            kept[name] = structs[name]
    version = _import_deduce().__version__
    atomic_write_bytes(streets, pickle.dumps({"deduce_version": version, "streets": _street_variants()}, protocol=5))
    data = {"deduce_version": version, "structs": kept, "hospitals": _hospital_variants()}
    atomic_write_bytes(slim, pickle.dumps(data, protocol=5))
    return slim


_STREETS: frozenset[str] | None = None


def street_names() -> frozenset[str]:
    """deduce's street names and their variants (`_street_variants`), loaded on first use (about 0.1 s)."""
    global _STREETS
    if _STREETS is None:
        _STREETS = _load_pickle(slim_cache().with_name(STREETS_FILE))["streets"]
    return _STREETS


def _street_variants() -> frozenset[str]:
    """deduce's street names (BAG) with the variants its lists generate ("Burg." for "Burgemeester"), at least
    four characters long, also without accents: what its street lookup matches."""
    import unicodedata

    deduce = _import_deduce()
    from deduce import lookup_structs as ls

    lookup_path = Path(deduce.__file__).parent / "data" / "lookup"
    with _quiet_root_logger():
        raw = ls.load_raw_itemsets(base_path=lookup_path, subdirs=["locations/lst_street"])["street"]
    names = {n.strip() for n in raw if len(n.strip()) >= 4}
    names |= {unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode() for n in names}
    return frozenset(n for n in names if len(n) >= 4)


class _IdentityIndex:
    """A token's position in its list, looked up by identity (the annotators ask only for tokens of the same
    list), built on first use: hashing deduce's tokens by value is what made its token list slow."""

    def __init__(self, tokens: list[Any]) -> None:
        self._tokens = tokens
        self._index: dict[int, int] | None = None

    def __getitem__(self, token: Any) -> int:
        if self._index is None:
            self._index = {id(t): i for i, t in enumerate(self._tokens)}
        return self._index[id(token)]


def _fast_token_list_class() -> type:
    """docdeid's token list, with its lookup tables built faster (the same tables)."""
    from docdeid.tokenizer import TokenList

    class _FastTokenList(TokenList):
        def _init_token_lookup(self, matching_pipeline: Any = None) -> None:
            """docdeid's lookup tables of the token texts; without a matching pipeline (what deduce's annotators
            use) from the texts as they are, in one pass."""
            if matching_pipeline:
                super()._init_token_lookup(matching_pipeline)
                return
            texts = self.__dict__.get("_texts")
            if texts is None:
                texts = self.__dict__["_texts"] = [token.text for token in self._tokens]
            text_to_tokens = defaultdict(list)
            for text, token in zip(texts, self._tokens, strict=True):
                text_to_tokens[text].append(token)
            self._words["[]"] = set(texts)  # (the key docdeid gives an empty pipeline: str([]))
            self._text_to_tokens["[]"] = text_to_tokens

    return _FastTokenList


def _fast_tokenizer_class(base: type) -> type:
    """deduce's tokenizer, with the same tokens made about twice as fast: tokens are filled in directly
    (its frozen dataclass checks each one) and linked as they are made, and only the words that can start a
    merged term ("van der") are looked up."""
    from docdeid import Token

    from dialoog.privacy.fast_match import match_length

    new = object.__new__
    token_list = _fast_token_list_class()

    class _FastTokenizer(base):  # type: ignore[misc, valid-type]
        def tokenize(self, text: str) -> Any:
            """deduce's token list, linked and indexed without its per-token frozen-dataclass calls: the words
            come from one ``findall`` (only single spaces and runs of up to three are skipped between them, so
            each word is found with `str.find` from the end of the one before), each token is linked to the one
            before as it is made, and merged terms are linked in their place (`_merge`)."""
            words = self._pattern.findall(text)
            tokens = []
            append, find = tokens.append, text.find
            end, prev = 0, None
            for word in words:
                start = find(word, end)
                end = start + len(word)
                token = new(Token)
                fields = token.__dict__
                fields["text"], fields["start_char"], fields["end_char"] = word, start, end
                fields["_previous_token"], fields["_next_token"] = prev, None
                if prev is not None:
                    prev.__dict__["_next_token"] = token
                append(token)
                prev = token
            if self._trie is not None:
                tokens = self._merge(text, tokens, words)
            out = new(token_list)
            out.__dict__.update(_tokens=tokens, _token_index=_IdentityIndex(tokens), _words={}, _text_to_tokens={})
            return out

        def _split_text(self, text: str) -> list[Any]:
            """deduce's tokens of `text` (merged terms joined; not linked)."""
            tokens = []
            append = tokens.append
            for m in self._pattern.finditer(text):
                token = new(Token)
                token.__dict__.update(
                    text=m.group(), start_char=m.start(), end_char=m.end(), _previous_token=None, _next_token=None
                )
                append(token)
            return self._merge(text, tokens, [t.text for t in tokens]) if self._trie is not None else tokens

        def _merge(self, text: str, tokens: list[Any], words: list[str]) -> list[Any]:
            """`tokens` with the merged terms ("van der") joined into one token each, which takes the place of
            its parts in the links between tokens (the parts are unlinked)."""
            plain, longest = not self._trie.matching_pipeline, self._trie.longest_matching_prefix  # (plain: deduce's)
            out: list[Any] = []
            done = 0
            for i in [i for i, w in enumerate(words) if w in self._start_words]:
                if i < done:
                    continue
                found = match_length(self._trie, words, i) if plain else len(longest(words, start_i=i) or ())
                if found:
                    out.extend(tokens[done:i])
                    parts = tokens[i : i + found]
                    joined = self._join_tokens(text, parts)
                    links = joined.__dict__
                    links["_previous_token"] = before = parts[0].__dict__["_previous_token"]
                    links["_next_token"] = after = parts[-1].__dict__["_next_token"]
                    if before is not None:
                        before.__dict__["_next_token"] = joined
                    if after is not None:
                        after.__dict__["_previous_token"] = joined
                    for part in parts:
                        part.__dict__["_previous_token"] = part.__dict__["_next_token"] = None
                    out.append(joined)
                    done = i + found
            out.extend(tokens[done:])
            return out

    return _FastTokenizer


def _slim_deduce(structs: Any) -> Any:
    """A deduce instance with only the annotators dialoog runs, on the given lookup structures (deduce's own
    constructor would load its full cache first)."""
    import json

    deduce = _import_deduce()
    from deduce.deduce import _DeduceProcessorLoader

    from dialoog.privacy.fast_match import fast_annotators

    config = json.loads((Path(deduce.__file__).parent / "base_config.json").read_text(encoding="utf-8"))
    config["annotators"] = {
        name: spec
        for name, spec in config["annotators"].items()
        if name not in DEDUCE_DISABLED and spec.get("group") not in DEDUCE_DISABLED
    }

    class _Slim(deduce.Deduce):
        def __init__(self) -> None:  # noqa: D107 - deduce.Deduce.__init__ without loading its cache
            deduce.Deduce.__bases__[0].__init__(self)
            self.config = self._initialize_config(load_base_config=False, user_config=config)
            self.lookup_data_path = Path(deduce.__file__).parent / "data" / "lookup"
            self.cache_path = _deduce_cache_path()
            tokenizer = self._initialize_tokenizer(self.lookup_data_path)
            tokenizer.__class__ = _fast_tokenizer_class(type(tokenizer))
            self.tokenizers = {"default": tokenizer}
            self.lookup_structs = structs
            extras = {"tokenizer": self.tokenizers["default"], "ds": structs}
            self.processors = _DeduceProcessorLoader().load(config=self.config, extras=extras)
            for name in ("locations", "post_processing"):  # added by the loader whatever the config says
                if name in DEDUCE_DISABLED:
                    self.processors.remove_processor(name)
            fast_annotators(self.processors)  # the same annotations, on patterns compiled once

    return _Slim()


#: deduce's annotator groups that dialoog runs; the others are covered by dialoog's own patterns.
DEDUCE_DISABLED = frozenset(
    {
        "dates",
        "ages",
        "email_addresses",
        "urls",
        "phone_numbers",
        "merge_adjacent_annotations",
        "placename",  # places stay readable (the gazetteer)
        "street_pattern",  # a street by its suffix: dialoog's address patterns (with a number) cover it
        "postal_code",
        "postbus",
        "identifiers",  # BSN and long numbers: dialoog's "nummer" pattern
        "locations",  # streets with a number: dialoog's own lookup (`dialoog.privacy.streets`) and patterns
        "post_processing",  # overlaps are merged by dialoog (scan.merge_spans)
        "hospital",  # one regex over the lower-cased text (`hospital_names`) instead of a token lookup
        "patient_name",
        "eponymous_disease",
        "redactor",  # dialoog replaces the spans itself
        "street_lookup",  # a street and house number: dialoog's own lookup (`dialoog.privacy.streets`)
        "housenumber",
        "institution",  # care homes by their kind of name ("Zorgcentrum X"); one-word care organisations stay
    }
)


_HOSPITALS: set[str] = set()


def hospital_names() -> set[str]:
    """deduce's hospital names and abbreviations with the variants its lists generate ("Deventer Ziekenhuis",
    "Deventer Zkh.", "MCL"), in lower case and also without accents (kept in dialoog's lookup cache)."""
    engine()
    return set(_HOSPITALS)


def _hospital_variants() -> set[str]:
    import unicodedata

    deduce = _import_deduce()
    from deduce import lookup_structs as ls

    lookup_path = Path(deduce.__file__).parent / "data" / "lookup"
    with _quiet_root_logger():
        items = ls.load_raw_itemsets(
            base_path=lookup_path, subdirs=["institutions/lst_hospital", "institutions/lst_hospital_abbr"]
        )
    names = {i.strip().lower() for found in items.values() for i in found}
    names |= {unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode() for n in names}
    return {n for n in names if len(n) >= 2}


def deduce_annotations(text: str) -> list[Any]:
    """deduce's annotations of `text` (names, locations, institutions, identifiers).

    The links between the document's tokens are cut afterwards: each token points to the next and the
    previous one, cycles that only the garbage collector could free (its runs took several per cent of the
    time); without the links forward the tokens are freed as soon as the document is."""
    doc = engine().deidentify(text)
    out = list(doc.annotations)
    for tokens in doc._token_lists.values():
        for token in tokens._tokens:
            token.__dict__["_next_token"] = None
    return out
