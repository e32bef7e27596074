"""deduce's name annotators, the same annotations made faster (`fast_annotators`, applied by
`dialoog.privacy.engine`, which also replaces deduce's tokenizer and docdeid's token lookup tables).

- deduce matches a pattern position (``{"lookup": "prefix"}``, ``{"and": [...]}``) by reading the dict each time a
  token is tried (`deduce.annotator._PatternPositionMatcher`) and steps from token to token through two method
  calls. Its `TokenPatternAnnotator` and `ContextAnnotator` get a subclass that makes each pattern position into
  a function on first use (the same tests, in the same order, with the same short-circuits), steps through the
  tokens' links directly and looks a context pattern's direction up once.
- docdeid's `MultiTokenLookupAnnotator` (first names, surnames) without a matching pipeline finds the tokens
  that start a lookup value straight from the token texts, in order, instead of through its lookup tables
  sorted back into order.

`tests/test_privacy_fast_match.py` checks that deduce's own classes give the same tokens and annotations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

_Test = Callable[[Any], bool]
_LINK = {"next": "_next_token", "previous": "_previous_token"}
_METHODS = ("_tests", "_get_chained_token", "_match_sequence")
_NONE: dict = {}


def _like_name(t: str) -> bool:
    return len(t) >= 3 and t.istitle() and not any(ch.isdigit() for ch in t)


def _compile(position: dict, ds: Any) -> _Test:  # noqa: C901, PLR0911 - one case per kind of test, as in deduce
    """A function of a token that says what deduce's `_PatternPositionMatcher.match` says for `position`."""
    if len(position) > 1:
        raise ValueError(f"Cannot parse token pattern ({position}) with more than 1 key")
    func, value = next(iter(position.items()))
    if func == "equal":
        return lambda token: token.text == value
    if func == "re_match":
        return lambda token: re.match(value, token.text) is not None
    if func == "is_initials":
        return lambda token: (len(token.text) <= 4 and token.text.isupper()) == value
    if func == "like_name":
        return lambda token: _like_name(token.text) == value
    if func == "lookup":
        return lambda token: token.text in ds[value]
    if func == "neg_lookup":
        return lambda token: token.text not in ds[value]
    if func in ("and", "or"):
        return _all_of([_compile(x, ds) for x in value]) if func == "and" else _any_of([_compile(x, ds) for x in value])
    raise NotImplementedError(f"No known logic for pattern {func}")


def _all_of(parts: list[_Test]) -> _Test:
    def test(token: Any) -> bool:
        for part in parts:
            if not part(token):
                return False
        return True

    return test


def _any_of(parts: list[_Test]) -> _Test:
    def test(token: Any) -> bool:
        for part in parts:
            if part(token):
                return True
        return False

    return test


def _apply_context_pattern(self: Any, text: str, annotations: Any, context_pattern: dict) -> Any:
    """deduce's `ContextAnnotator._apply_context_pattern`, with the direction looked up once."""
    import docdeid as dd
    from deduce.annotator import ContextAnnotator

    direction = context_pattern["direction"]
    if direction not in ("left", "right"):
        return ContextAnnotator._apply_context_pattern(self, text, annotations, context_pattern)
    skip = set(context_pattern.get("skip", []))
    right = direction == "right"
    link = "_next_token" if right else "_previous_token"
    pre_tag, pattern, new_tag = context_pattern["pre_tag"], context_pattern["pattern"], context_pattern["tag"]
    for annotation in annotations.copy():
        parts = annotation.tag.split("+")
        if (parts[-1] if right else parts[0]) not in pre_tag:
            continue
        token = annotation.end_token if right else annotation.start_token
        while True:  # `_get_chained_token`
            token = getattr(token, link)
            if token is None or token.text not in skip:
                break
        found = self._match_sequence(text, pattern, token, direction=direction, skip=skip)
        if found:
            left, right_ann = (annotation, found) if right else (found, annotation)
            merged = dd.Annotation(
                text=text[left.start_char : right_ann.end_char],
                start_char=left.start_char,
                end_char=right_ann.end_char,
                start_token=left.start_token,
                end_token=right_ann.end_token,
                tag=new_tag.format(tag=annotation.tag),
                priority=annotation.priority,
            )
            annotations.remove(annotation)
            annotations.add(merged)
    return annotations


@lru_cache(maxsize=1)
def _fast_classes() -> tuple[type, type]:
    import docdeid as dd
    from deduce.annotator import ContextAnnotator, TokenPatternAnnotator

    class FastTokenPatternAnnotator(TokenPatternAnnotator):
        """deduce's `TokenPatternAnnotator` with `_match_sequence` and `_get_chained_token` on compiled tests."""

        def _tests(self, pattern: list[dict]) -> tuple[list, list[_Test], list[_Test]]:
            """The tests of `pattern`, in order and reversed (compiled on first use; the pattern is kept with
            them, so that its id stays its own)."""
            cache = self.__dict__.setdefault("_compiled", {})
            found = cache.get(id(pattern))
            if found is None or found[0] is not pattern:
                tests = [_compile(p, self.ds) for p in pattern]
                found = cache[id(pattern)] = (pattern, tests, tests[::-1])
            return found

        @staticmethod
        def _get_chained_token(token: Any, attr: str, skip: set[str]) -> Any:
            link = _LINK[attr]
            while True:
                token = getattr(token, link)
                if token is None or token.text not in skip:
                    break
            return token

        def _match_sequence(
            self, text: str, pattern: list[dict], start_token: Any, direction: str = "right", skip: Any = None
        ) -> Any:
            skip = skip or set()
            right = direction == "right"
            found = self.__dict__.get("_compiled", _NONE).get(id(pattern))
            if found is None or found[0] is not pattern:
                found = self._tests(pattern)
            _, forward, backward = found
            link = "_next_token" if right else "_previous_token"
            current = end = start_token
            for test in forward if right else backward:
                if current is None or not test(current):
                    return None
                end = current
                while True:  # `_get_chained_token`
                    current = getattr(current, link)
                    if current is None or current.text not in skip:
                        break
            first, last = (start_token, end) if right else (end, start_token)
            return dd.Annotation(
                text=text[first.start_char : last.end_char],
                start_char=first.start_char,
                end_char=last.end_char,
                tag=self.tag,
                priority=self.priority,
                start_token=first,
                end_token=last,
            )

    methods = {k: v for k, v in vars(FastTokenPatternAnnotator).items() if k in _METHODS}
    methods["_apply_context_pattern"] = _apply_context_pattern
    FastContextAnnotator = type("FastContextAnnotator", (ContextAnnotator,), methods)  # noqa: N806

    return FastTokenPatternAnnotator, FastContextAnnotator


def match_length(trie: Any, words: list[str], i: int) -> int:
    """``len(trie.longest_matching_prefix(words, start_i=i))``, 0 where that is None, for a trie without a
    matching pipeline (docdeid's loop, without its two method calls per word)."""
    node, longest, k, n = trie, 0, 0, len(words)
    while True:
        if node.is_terminal:
            longest = k
        if i + k >= n:
            break
        node = node.children.get(words[i + k])
        if node is None:
            break
        k += 1
    return longest


@lru_cache(maxsize=1)
def _fast_lookup_class() -> type:
    import docdeid as dd
    from docdeid.process import MultiTokenLookupAnnotator

    class FastLookupAnnotator(MultiTokenLookupAnnotator):
        """docdeid's `MultiTokenLookupAnnotator` without a matching pipeline: the tokens whose text starts a
        lookup value, in order, straight from the token texts (the same as its token lookup sorted by
        position, without building the lookup tables and the token index)."""

        def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
            if self._matching_pipeline or self._trie.matching_pipeline:
                return super().annotate(doc)
            tokens = doc.get_tokens()
            texts = tokens.__dict__.get("_texts")
            if texts is None:  # (kept with the token list for the next annotator)
                texts = tokens.__dict__["_texts"] = [token.text for token in tokens]
            starts = self._start_words
            annotations = []
            min_i = 0
            for i in [i for i, word in enumerate(texts) if word in starts]:
                if i < min_i:
                    continue
                found = match_length(self._trie, texts, i)
                if not found:
                    continue
                start_token, end_token = tokens[i], tokens[i + found - 1]
                annotations.append(
                    dd.Annotation(
                        text=doc.text[start_token.start_char : end_token.end_char],
                        start_char=start_token.start_char,
                        end_char=end_token.end_char,
                        start_token=start_token,
                        end_token=end_token,
                        tag=self.tag,
                        priority=self.priority,
                    )
                )
                if not self.overlapping:
                    min_i = i + found
            return annotations

    return FastLookupAnnotator


def fast_annotators(processors: Any) -> None:
    """Give deduce's token-pattern and context annotators in `processors` (a processor group, searched
    through) the faster subclass."""
    from deduce.annotator import ContextAnnotator, TokenPatternAnnotator
    from docdeid.process import MultiTokenLookupAnnotator

    fast_pattern, fast_context = _fast_classes()
    fast_lookup = _fast_lookup_class()
    for name in processors.get_names(recursive=False):
        proc = processors[name]
        if hasattr(proc, "get_names"):
            fast_annotators(proc)
        elif type(proc) is TokenPatternAnnotator:
            proc.__class__ = fast_pattern
        elif type(proc) is ContextAnnotator:
            proc.__class__ = fast_context
        elif type(proc) is MultiTokenLookupAnnotator:
            proc.__class__ = fast_lookup
