"""Raw files to normalised transcripts, the source text kept exactly: formats.py (txt, md, docx, odt, pdf,
rtf), subtitles.py (srt, vtt), labels.py (speaker labels and their consistency), normalise.py (turns or
document blocks and the exact map from a source to a body), text.py (`dialoog import`), and REFI-QDA
projects and codebooks from other QDA programs (refi.py, refi_package.py, refi_codebook.py, refi_values.py).

Owns: decoding, speaker-label detection, turn splitting and the offset mapping from a source to a body.
May import: `dialoog.study`, `dialoog.exchange` (the shared REFI-QDA helpers), errors, fileio.
"""
