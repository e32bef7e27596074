"""The held-out folds of calibration, fitted beside the final model on the machine's other cores.

Training a `dialoog.assist.model.SuggestionModel` fits four logistic regressions on the same material: the
final model and one per calibration fold (its training transcripts minus a third). They are independent, so
on a machine with more than one core the folds run in forked worker processes while this process fits the
final model; each worker sends back only its fold's held-out logits. The arithmetic is the same in a worker
as here (the fits are deterministic and use one BLAS thread), so the results are identical to fitting them one
after the other, which is what happens on one core, inside a worker, on a system other than Linux, or when the
process has other threads (a Jupyter kernel: forking a process with running threads is not safe).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence

import numpy

#: The job of the forked workers: (model, units, labels, weights, folds, iterations); set just before forking
#: and read by the children from their copy of this process's memory (nothing large is pickled).
_JOB: tuple | None = None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether the folds may run in forked workers: Linux, more than one core, `fork` available, no other
    threads in this process, and this process not itself a daemonic worker."""
    return (
        sys.platform.startswith("linux")  # (macOS offers fork, but a forked numpy on Accelerate can crash)
        and _cores() > 1
        and os.environ.get("DIALOOG_WORKERS", "") != "1"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def _fold_logits(f: int) -> numpy.ndarray:
    """The held-out logits of fold `f`: a model fitted on the other folds' units, applied to this fold's."""
    model, units, labels, weights, folds, iterations = _JOB
    train, test = folds[f]
    part = type(model).__new__(type(model))
    part.__dict__.update(model.__dict__)
    part._fit_model([units[i] for i in train], labels[train], weights[train], iterations)
    return part._model_logits([units[i] for i in test])[0]


def held_out_logits(
    model,
    units: Sequence,
    labels: numpy.ndarray,
    weights: numpy.ndarray,
    folds: Sequence[tuple[list[int], list[int]]],
    iterations: int,
    alongside: Callable[[], None],
) -> numpy.ndarray:
    """The model's logits (units × codes) for every unit, each from a model fitted without its fold, as
    `folds` ((train rows, test rows) each) say; `alongside()` (the final fit) runs here meanwhile.

    `model` is the model before its final fit: a fold's model copies its settings, not its weights."""
    global _JOB
    z = numpy.zeros(labels.shape)
    _JOB = (model, units, labels, weights, folds, iterations)
    try:
        if not can_fork():
            alongside()
            for f, (_train, test) in enumerate(folds):
                z[test] = _fold_logits(f)
            return z
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(len(folds), _cores())) as pool:
            pending = pool.map_async(_fold_logits, range(len(folds)))
            alongside()
            for (_train, test), logits in zip(folds, pending.get(), strict=True):
                z[test] = logits
        return z
    finally:
        _JOB = None
