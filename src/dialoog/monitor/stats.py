"""Statistics of the monitor: intervals, tests, weighted survey estimates and trends over all years.

Everything here comes from statsmodels; this module only chooses the methods and words the outcome:
- intervals of a proportion: Wilson (`proportion_confint(method="wilson")`); for weighted survey data the
  Wilson interval at the design's effective sample size (n* = p(1 - p) / Var(p), the variance by
  linearisation of the weighted mean, as Stata's ``svy: proportion, citype(wilson)``; Kish's n_eff where
  nobody or everybody has the trait, so the variance is 0), never wider than n allows;
- two proportions: the pooled z-test (`proportions_ztest`); two counts: the exact conditional test of
  two Poisson rates (`test_poisson_2indep(method="exact-cond")`);
- a trend over all available years: a binomial GLM (logit link) of the proportions, weighted by their
  (effective) n, or a Poisson GLM (log link) of counts, with the Pearson scale where counts vary more than
  Poisson allows. A change is only called a rise or fall when the year's coefficient has p < 0.05.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

KINDS = ("aandeel", "aantal")


# -- intervals and tests ---------------------------------------------------------------------------


def wilson(p: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    """The Wilson score interval (95% by default) of a proportion p of n (n may be an effective n)."""
    from statsmodels.stats.proportion import proportion_confint

    if not n or n <= 0 or pd.isna(n) or pd.isna(p):
        return (math.nan, math.nan)
    lo, hi = proportion_confint(p * n, n, alpha=alpha, method="wilson")
    return (max(0.0, float(lo)), min(1.0, float(hi)))


def two_proportion_p(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    from statsmodels.stats.proportion import proportions_ztest

    if p1 == p2:
        return 1.0
    _, p = proportions_ztest(np.array([p1 * n1, p2 * n2]), np.array([n1, n2]))
    return 1.0 if math.isnan(p) else min(1.0, float(p))


def two_counts_p(k1: int, k2: int) -> float:
    """Two-sided exact p-value that two Poisson counts (same exposure) have the same rate."""
    from statsmodels.stats.rates import test_poisson_2indep

    if k1 + k2 == 0:
        return 1.0
    return min(1.0, float(test_poisson_2indep(k1, 1, k2, 1, method="exact-cond").pvalue))


# -- weighted survey estimates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """A weighted share of one group, without any row-level value."""

    waarde: float  # the weighted proportion
    ondergrens: float
    bovengrens: float
    n: int  # unweighted number of respondents with an answer
    cases: int  # unweighted number of them with the trait (for suppression only; never written)
    n_eff: float  # the effective sample size the interval rests on
    se: float  # the design-based standard error (linearisation)


def kish_n_eff(w: np.ndarray) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2."""
    w = np.asarray(w, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) and (w**2).sum() > 0 else 0.0


def weighted_share(y: np.ndarray, w: np.ndarray, alpha: float = 0.05) -> Estimate:
    """The weighted share of y (0/1) with weights w, its design-based standard error (linearisation of the
    ratio mean, with-replacement, n/(n-1) correction) and a Wilson interval at the effective sample size."""
    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n = len(y)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0, 0, 0.0, math.nan)
    p = float((w * y).sum() / w.sum())
    if n > 1:
        z = w * (y - p) / w.sum()
        se = math.sqrt(n / (n - 1) * float((z**2).sum()))
    else:
        se = math.nan
    kish = kish_n_eff(w)
    n_eff = p * (1 - p) / se**2 if se and se > 0 else kish
    n_eff = min(float(n), n_eff)
    lo, hi = wilson(p, n_eff, alpha)
    return Estimate(p, lo, hi, n, int(y.sum()), n_eff, se)


# -- trends over all years -------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    direction: str  # "stijging", "daling", "geen aantoonbare verandering", "te weinig gegevens"
    text: str  # one Dutch sentence that states the years and n
    p: float | None = None
    per_jaar: float | None = None  # percentage points per year (proportions) or % per year (counts)


def fit_trend(jaren, waarden, gewichten, kind: str) -> tuple[float, float, np.ndarray]:
    """Fit the trend model; return (slope, p-value of the slope, fitted values)."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    x = np.asarray(jaren, dtype=float)
    X = sm.add_constant(x - x.mean())
    y = np.asarray(waarden, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (RuntimeWarning, PerfectSeparationWarning))
        if kind == "aandeel":
            model = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=np.asarray(gewichten, dtype=float))
            result = model.fit()
        else:
            model = sm.GLM(y, X, family=sm.families.Poisson())
            result = model.fit()
            if result.df_resid > 0 and result.pearson_chi2 / result.df_resid > 1:
                result = model.fit(scale="X2")  # overdispersed counts: quasi-Poisson
    slope, p = float(result.params[1]), float(result.pvalues[1])
    return slope, (1.0 if math.isnan(p) else p), np.asarray(result.fittedvalues)


def _p(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return "p = " + (f"{p:.3f}" if p < 0.05 else f"{p:.2f}").replace(".", ",")


def pct(x: float) -> str:
    return f"{x * 100:.0f}%".replace(".", ",")


def _n(row) -> str:
    if "n" not in row or pd.isna(row["n"]):
        return ""
    return f" (n = {int(row['n'])})"


def _num(x: float, digits: int = 1) -> str:
    return f"{x:+.{digits}f}".replace(".", ",").replace("-", "−")


def trend_weights(rows: pd.DataFrame) -> pd.Series:
    """How much each year's share weighs in the trend model: its effective sample size (weighted surveys),
    else its n, else (CBS figures, published with a margin and no n) the n that gives that margin:
    n = p(1 - p) / (margin / 1.96)^2."""
    weights = pd.to_numeric(rows["n_eff"], errors="coerce") if "n_eff" in rows else pd.Series(np.nan, index=rows.index)
    if "n" in rows:
        weights = weights.fillna(pd.to_numeric(rows["n"], errors="coerce"))
    if {"ondergrens", "bovengrens"} <= set(rows.columns):
        half = (rows["bovengrens"] - rows["ondergrens"]) / 2 / 1.96
        from_margin = rows["waarde"] * (1 - rows["waarde"]) / half.where(half > 0) ** 2
        weights = weights.fillna(from_margin)
    return weights.fillna(1.0).astype(float)


def trend(rows: pd.DataFrame, kind: str, alpha: float = 0.05) -> Trend:
    """The trend of one indicator, gemeente and group over all its shown years (suppressed figures left
    out by the caller). `rows` has jaar, waarde and, for proportions, n (and n_eff where weighted)."""
    rows = rows.dropna(subset=["waarde"]).sort_values("jaar")
    if len(rows) < 2:
        return Trend("te weinig gegevens", "Er zijn te weinig jaren met een getoond cijfer om een trend te bepalen.")
    a, b = rows.iloc[0], rows.iloc[-1]
    k = len(rows)
    span = int(b["jaar"]) - int(a["jaar"])
    if kind == "aandeel":
        slope, p, fitted = fit_trend(rows["jaar"], rows["waarde"], trend_weights(rows), kind)
        per_jaar = (fitted[-1] - fitted[0]) / span * 100
        first, last = (f"{pct(a['waarde'])} in {a['jaar']}{_n(a)}", f"{pct(b['waarde'])} in {b['jaar']}{_n(b)}")
        values = f"van {first} naar {last}"
        model = f"een logistisch trendmodel over {k} metingen: gemiddeld {_num(per_jaar)} procentpunt per jaar"
    else:
        slope, p, _ = fit_trend(rows["jaar"], rows["waarde"], None, kind)
        per_jaar = (math.exp(slope) - 1) * 100
        values = f"van {int(a['waarde'])} in {a['jaar']} naar {int(b['waarde'])} in {b['jaar']}"
        model = f"een Poisson-trendmodel over {k} jaren: gemiddeld {_num(per_jaar, 0)}% per jaar"
    if p < alpha:
        direction = "stijging" if slope > 0 else "daling"
        return Trend(
            direction,
            f"Een {direction}, {values}; {model}, statistisch betrouwbaar ({_p(p)}).",
            p,
            per_jaar,
        )
    return Trend(
        "geen aantoonbare verandering",
        f"Geen aantoonbare verandering: {values}; {model}, wat op toeval kan berusten ({_p(p)}).",
        p,
        per_jaar,
    )
