"""Raw files to normalised transcripts: plain text, Markdown, Word, ODT (text.py) and REFI-QDA projects
and codebooks from other QDA programs (refi.py).

Owns: decoding, speaker-label detection, turn splitting and the offset mapping from a source to a body.
May import: `dialoog.study`, `dialoog.exchange` (the shared REFI-QDA helpers), errors, fileio.
"""
