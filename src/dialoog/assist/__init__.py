"""The coding assistant: the offline Dutch NLP pipeline (nlp.py), code suggestions (suggest.py) and
inventory suggestions from transcripts (inventory.py).

May import: `dialoog.study`, `dialoog.inventory`, errors, fileio. Never `dialoog.coding` or report code.
"""
