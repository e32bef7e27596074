"""deduce, loaded once per process: its lookup cache, built on first use with progress, then loaded fast.

The cache lives in `cache_dir()` (the user's cache folder, or ``$DIALOOG_CACHE_DIR``), never inside
site-packages. Only the annotators dialoog needs are run (`DEDUCE_ANNOTATORS`); dates, ages, phone numbers,
e-mail addresses, URLs, postcodes, P.O. boxes, streets by their suffix and long numbers are found by dialoog's own
patterns (`dialoog.privacy.patterns`), which run over the whole text at C speed: each disabled annotator
saves a pass over deduce's tokens.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import sys
import threading
import time
from collections import Counter
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
    """The process-wide deduce instance (loaded on first use; the cache is built if needed)."""
    global _DEDUCE
    if _DEDUCE is not None:
        return _DEDUCE
    with _ENGINE_LOCK:
        if _DEDUCE is not None:
            return _DEDUCE
        deduce = _import_deduce()
        cache_path = _deduce_cache_path()
        if not (cache_path / "cache" / "lookup_structs.pickle").is_file():
            report = progress or (lambda _m: None)
            report(f"building deduce's lookup cache (first run only, 1-3 minutes) in {cache_path}")
            _build_cache(cache_path, report)
        was_enabled = gc.isenabled()
        gc.disable()  # loading the cache creates millions of objects; pausing the collector is much faster
        try:
            with _quiet_root_logger():
                _DEDUCE = deduce.Deduce(cache_path=cache_path)
            gc.freeze()
        finally:
            if was_enabled:
                gc.enable()
        return _DEDUCE


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
        "post_processing",  # overlaps are merged by dialoog (scan.merge_spans)
        "hospital",  # one regex over the lower-cased text (`hospital_names`) instead of a token lookup
        "patient_name",
        "eponymous_disease",
        "redactor",  # dialoog replaces the spans itself
    }
)


def hospital_names() -> set[str]:
    """deduce's hospital names and abbreviations with the variants its lists generate ("Deventer Ziekenhuis",
    "Deventer Zkh.", "MCL"), in lower case and also without accents."""
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


@functools.lru_cache(maxsize=1)
def care_organisations() -> frozenset[str]:
    """One-word names of care organisations with five or more locations in deduce's list of healthcare
    institutions ("Sensire", "Cordaan"): an organisation of thousands, not a place that points to a person;
    its locations ("Sensire De Bloesem") are still masked. Read on first use (about 50 ms)."""
    deduce = _import_deduce()
    items = Path(deduce.__file__).parent / "data" / "lookup" / "src" / "institutions" / "lst_healthcare_institution"
    names = (items / "items.txt").read_text(encoding="utf-8").splitlines()
    heads = Counter(n.replace(",", " ").split(" ", 1)[0] for n in names if " " in n)
    return frozenset(n for n in names if " " not in n and heads[n] >= 5)


def deduce_annotations(text: str) -> list[Any]:
    """deduce's annotations of `text` (names, locations, institutions, identifiers)."""
    return list(engine().deidentify(text, disabled=set(DEDUCE_DISABLED)).annotations)
