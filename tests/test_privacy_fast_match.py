"""dialoog's faster deduce (`dialoog.privacy.engine`, `dialoog.privacy.fast_match`) gives what deduce's own code
gives: the same tokens with the same links, and the same annotations, on every text of the annotated sets and
on texts made to exercise the edge cases (runs of spaces, merged terms such as "van der" at the start, the end
and side by side, names after titles and initials). Each text is run through the same deduce instance twice:
with dialoog's classes and with deduce's and docdeid's own classes put back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dialoog.privacy import annotated_set
from dialoog.privacy import engine as engine_mod

FIXTURES = Path(__file__).parent / "fixtures"
EDGES = [
    "",
    " ",
    "     ",
    "a    b",
    "van der Berg   en  \t\n  van den  Heuvel  ",
    "x" + " " * 7 + "y  ",
    "  lead",
    "Jan van der",
    "van der van den van de",
    "Mevrouw J.P. van der Berg-de Vries en dhr. A. de Jong kwamen langs.",
    "Dr. Y. El Khattabi, mw. Van den Broek - Jansen en Piet-Hein ter Horst.",
    "Ik sprak met Sanne de Vries, Anna van 't Hof en meneer De Wit.\n\nJ. Bakker\tM. Jansen",
]


def _texts() -> list[str]:
    texts = list(EDGES)
    for folder in sorted(FIXTURES.glob("privacy*")):
        texts += [text for _, text, _, _ in annotated_set(folder)]
    return texts


def _original_classes(deduce) -> list[tuple[object, type]]:  # noqa: ANN001
    """(object, dialoog's class) for every object whose class dialoog replaced, now given back its original."""
    swapped = []
    tokenizer = deduce.tokenizers["default"]
    swapped.append((tokenizer, type(tokenizer)))
    tokenizer.__class__ = type(tokenizer).__mro__[1]

    def walk(group) -> None:  # noqa: ANN001
        for name in group.get_names(recursive=False):
            proc = group[name]
            if hasattr(proc, "get_names"):
                walk(proc)
            elif type(proc).__module__ == "dialoog.privacy.fast_match":
                swapped.append((proc, type(proc)))
                proc.__class__ = type(proc).__mro__[1]

    walk(deduce.processors)
    return swapped


def _tokens(tokens) -> list[tuple]:  # noqa: ANN001
    index = {id(t): i for i, t in enumerate(tokens)}
    return [
        (
            t.text,
            t.start_char,
            t.end_char,
            index.get(id(t._previous_token), t._previous_token),
            index.get(id(t._next_token), t._next_token),
        )
        for t in tokens
    ]


def _annotations(doc) -> list[tuple]:  # noqa: ANN001
    return sorted((a.start_char, a.end_char, a.tag, a.text, a.priority) for a in doc.annotations)


def _run(deduce, texts: list[str]) -> list:  # noqa: ANN001
    out = []
    for text in texts:
        tokens = deduce.tokenizers["default"].tokenize(text)
        out.append(_tokens(list(tokens)))
        out.append(_annotations(deduce.deidentify(text)))
    return out


@pytest.fixture(scope="module")
def deduce():
    return engine_mod.engine()


def test_dialoog_replaced_the_tokenizer_and_the_name_annotators(deduce):
    classes = {type(p).__name__ for p in deduce.processors["names"]._processors.values()}
    assert {"FastTokenPatternAnnotator", "FastContextAnnotator", "FastLookupAnnotator"} <= classes
    assert type(deduce.tokenizers["default"]).__name__ == "_FastTokenizer"


def test_same_tokens_links_and_annotations_as_deduce_itself(deduce):
    texts = _texts()
    ours = _run(deduce, texts)
    swapped = _original_classes(deduce)
    try:
        assert len(swapped) >= 5
        theirs = _run(deduce, texts)
    finally:
        for obj, cls in swapped:
            obj.__class__ = cls
    assert len(ours) == len(theirs) == 2 * len(texts)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == b, f"text {i // 2} differs in its {'tokens' if i % 2 == 0 else 'annotations'}"
    assert any(ours[1::2]), "no annotation at all: the comparison would prove nothing"
