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
# Vul je naam in als codeur (bijvoorbeeld `anouk`) en kies een gemeente en een gesprek. **Selecteer tekst**
# met de muis (of met Shift + pijltjes) en kies een code: typ om het codeboek te filteren, ↑/↓ en Enter, of
# een cijfer 1-9 voor een recente code. Een selectie over meerdere beurten wordt één fragment per beurt.
# Klik op een markering om de codes, codeur, memo en tijd te zien, en om te verwijderen of te hercoderen.
# Suggesties staan gestippeld onderstreept in de kleur van de code: klik er een aan en druk op **a**
# (accepteren) of **v** (verwerpen). Elke wijziging wordt meteen opgeslagen in `codings/<jouw naam>.csv`;
# **Ongedaan maken** (Ctrl+Z) draait je laatste wijziging terug. Met **Blind coderen** aan zie je de codes
# van andere codeurs niet. Onder **Fragmenten per code** vind je alle fragmenten van een code (export naar
# CSV of Word), onder **Consensus** leg je per verschil het besluit van het team vast.

# %% tags=["parameters"]
study = ".."  # the study folder (this notebook lives in its notebooks/ folder)
coder = ""  # your coder name; you can also type it in the widget
gemeente = ""  # a municipality of the study; empty: the first one

# %%
from dialoog.coding.widget import Coder

Coder(study, coder=coder, gemeente=gemeente or None)

# %% [markdown]
# ## Overeenstemming tussen codeurs
#
# Per code en over alle codes samen: het percentage overeenstemming, Cohens kappa en Krippendorffs alfa,
# per beurt (`unit = "turn"`) of per zin (`unit = "sentence"`). Voer deze cellen opnieuw uit na het coderen.

# %%
from dialoog.coding.overview import agreement_overview, disagreements_overview

unit = "turn"
agreement_overview(study, gemeente or None, unit)

# %% [markdown]
# Fragmenten waarover de codeurs verschillen. Leg het besluit van het team vast in de coder (tab
# **Consensus**), of schrijf deze tabel met `dialoog agreement --disagreements verschillen.csv` naar een
# bestand, vul `decision` (ja/nee) en `decided_by` in en maak met `dialoog merge verschillen.csv` de
# consensuscodering.

# %%
disagreements_overview(study, gemeente or None, unit)
