"""Exchange with other tools: REFI-QDA export (.qdpx projects, .qdc codebooks), the XSD validation and
identifiers that import and export share (refi.py), and the offset conventions of other programs (offsets.py).

May import: `dialoog.study`, errors, fileio.
"""
