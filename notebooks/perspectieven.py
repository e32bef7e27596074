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
# Report notebook of dialoog: render it with `dialoog report <gemeente>`. The text and figures come
# from dialoog.report.perspectieven, so this notebook stays thin. Papermill sets these parameters.
gemeente = "Schiedam"
study = ".."
output = "../reports/schiedam"

# %%
from IPython.display import Markdown, display

from dialoog.report import perspectieven

data = perspectieven.load(study, gemeente)

# %%
for part in perspectieven.parts(data):
    display(Markdown(part))
