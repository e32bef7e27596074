"""Safety monitoring: the monitor figures, the alliance's agreements and actions, and the regions.

Owns: data.py (monitor.csv, alliantie.yaml, regios.yaml), stats.py (intervals, tests, weighted survey
estimates and trend models, all from statsmodels), the imports survey.py (.sav/.csv microdata → weighted,
suppressed aggregates; the microdata never enter the study), statline.py (CBS StatLine) and
discriminatie.py (registrations by ground), schemas.py (pydantic models of the mapping and the aggregate
files) and sources.py (every figure in one table, and how a figure may be shown).

May import: `dialoog.study`, errors, fileio. Never report code: the Veiligheidsanalyse chapters live in
`dialoog.report.veiligheidsanalyse`.
"""
