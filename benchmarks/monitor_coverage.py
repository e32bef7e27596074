"""Coverage of the survey intervals: how often the 95% interval of a weighted share holds the true share.

Run: .venv/bin/python benchmarks/monitor_coverage.py [REPLICATIONS]

A fictional population of 200,000 residents where the trait (say, victimisation) is more common among
young people, who are sampled less and so weigh more (the usual shape of a municipal safety survey). Each
replication draws a sample with unequal probabilities, as a small LHBTIQ+ group of n respondents, and
computes three 95% intervals around the weighted share:

- dialoog: Wilson at the design's effective n (`dialoog.monitor.stats.weighted_share`);
- Kish: Wilson at Kish's effective n (sum w)^2 / sum w^2;
- baseline: Wilson at the unweighted n, as if the data were not weighted.

The coverage of an honest 95% interval is close to 95%; the baseline's is lower because it ignores the
weights. Figures for n = 40, 100 and 400 respondents.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from dialoog.monitor.stats import kish_n_eff, weighted_share


def population(rng: np.random.Generator, size: int = 200_000):
    young = rng.random(size) < 0.3
    trait = rng.random(size) < np.where(young, 0.35, 0.15)
    inclusion = np.where(young, 0.3, 1.0) * rng.lognormal(0, 0.3, size)  # young people respond less
    return trait.astype(float), inclusion / inclusion.sum()


def run(replications: int) -> None:
    rng = np.random.default_rng(19)
    trait, prob = population(rng)
    truth = trait.mean()
    print(f"true share {truth:.3f}; {replications} samples per n\n")
    print(f"{'n':>5} {'dialoog':>9} {'Kish':>9} {'baseline':>9}   mean width dialoog / baseline")
    for n in (40, 100, 400):
        hits = {"dialoog": 0, "Kish": 0, "baseline": 0}
        widths = {"dialoog": 0.0, "baseline": 0.0}
        start = time.perf_counter()
        for _ in range(replications):
            idx = rng.choice(len(trait), size=n, replace=True, p=prob)
            y, w = trait[idx], 1 / prob[idx]
            est = weighted_share(y, w)
            kish = kish_n_eff(w)
            k_lo, k_hi = proportion_confint(est.waarde * kish, kish, method="wilson")
            b_lo, b_hi = proportion_confint(est.waarde * n, n, method="wilson")
            hits["dialoog"] += est.ondergrens <= truth <= est.bovengrens
            hits["Kish"] += k_lo <= truth <= k_hi
            hits["baseline"] += b_lo <= truth <= b_hi
            widths["dialoog"] += est.bovengrens - est.ondergrens
            widths["baseline"] += b_hi - b_lo
        cover = {k: v / replications for k, v in hits.items()}
        print(
            f"{n:>5} {cover['dialoog']:>9.1%} {cover['Kish']:>9.1%} {cover['baseline']:>9.1%}   "
            f"{widths['dialoog'] / replications:.3f} / {widths['baseline'] / replications:.3f}"
            f"   ({time.perf_counter() - start:.1f} s)"
        )


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
