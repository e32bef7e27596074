# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Coderen
#
# Vul je naam in als codeur (bijvoorbeeld `anouk`), kies een gemeente en een gesprek, en lees het gesprek
# beurt voor beurt. Kies een fragment (de hele beurt, een of meer zinnen, een reeks tekens of een stuk tekst
# dat je intypt), kies een of meer codes en klik op **Codeer**. Elke wijziging wordt meteen opgeslagen in
# `codings/<jouw naam>.csv`; **Ongedaan maken** draait je laatste wijziging terug. Met **Blind coderen** aan
# zie je de codes van andere codeurs niet.

# %% tags=["parameters"]
study = ".."  # the study folder (this notebook lives in its notebooks/ folder)
coder = ""  # your coder name; you can also type it in the widget
gemeente = ""  # a municipality of the study; empty: the first one

# %%
from dialoog.coding.widget import Coder

coder_ui = Coder(study, coder=coder, gemeente=gemeente or None)
coder_ui.widget

# %% [markdown]
# ## Overeenstemming tussen codeurs
#
# Per code en over alle codes samen: het percentage overeenstemming, Cohens kappa en Krippendorffs alfa,
# per beurt (`unit = "turn"`) of per zin (`unit = "sentence"`). Voer deze cellen opnieuw uit na het coderen.

# %%
from dialoog.coding import agreement
from dialoog.study.folder import open_study

unit = "turn"
st = open_study(study)
decisions, transcripts = agreement.study_decisions(st, gemeente=gemeente or None, unit=unit)
agreement.agreement_table(decisions, st.codebook)

# %% [markdown]
# Fragmenten waarover de codeurs verschillen. `dialoog agreement --disagreements verschillen.csv` schrijft
# deze tabel naar een bestand; vul daarin `decision` (ja/nee) en `decided_by` in en maak met
# `dialoog merge verschillen.csv` de consensuscodering.

# %%
agreement.disagreements(decisions, transcripts, st.codebook)
