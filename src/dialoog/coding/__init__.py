"""Coding: the coder widget for JupyterLab, coding sessions (locked, atomic, undo), codebook edits whose
codings follow, and inter-coder agreement and consensus.

May import: `dialoog.study`, `dialoog.assist` (suggestions shown while coding), errors, fileio.
Never report code: the agreement paragraph of the report lives in `dialoog.report.methode`.
"""
