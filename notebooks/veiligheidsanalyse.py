# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# The yearly regional safety analysis: render it with `dialoog report --regio <id> --jaar <year>`.
# The text, tables and figures come from dialoog.report.veiligheidsanalyse, so this notebook stays thin. Papermill sets these.
regio = "noord-nederland"
jaar = 2026
study = ".."
output = "../reports/regio-noord-nederland"

# %%
from IPython.display import Markdown, display

from dialoog.report import veiligheidsanalyse as analyse

data = analyse.load(study, regio, jaar)

# %%
for part in analyse.parts(data):
    display(Markdown(part))
