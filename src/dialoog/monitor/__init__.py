"""Safety monitoring: the monitor figures, the alliance's agreements and actions, and the regions.

May import: `dialoog.study`, errors, fileio. Never report code: the Veiligheidsanalyse chapters live in
`dialoog.report.veiligheidsanalyse`.
"""
