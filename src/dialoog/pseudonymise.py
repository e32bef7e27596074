"""Deprecated location of the detection API; use ``from dialoog.privacy import find_personal_data, apply``."""

from __future__ import annotations

import warnings

from dialoog.privacy.detect import *  # noqa: F403
from dialoog.privacy.detect import Span, apply, find_personal_data  # noqa: F401

warnings.warn(
    "dialoog.pseudonymise moved to dialoog.privacy (find_personal_data, apply); this alias will be removed",
    DeprecationWarning,
    stacklevel=2,
)
