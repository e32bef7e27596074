"""The inventory of a gemeente: its registers of initiatives, needs and network (inventaris/<gemeente>/),
the gap rules (lege plekken) and the network graph.

May import: `dialoog.study`, errors, fileio. Never report code: its chapters live in `dialoog.report`.
"""
