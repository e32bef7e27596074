"""Reports: the render engine (engine.py: plan, skip unchanged, workers, exports to HTML, PDF, DOCX and the
leaflet), the chapters of the Perspectieven report (perspectieven.py, methode.py, inventory_chapters.py)
and of the regional Veiligheidsanalyse (veiligheidsanalyse.py), figures and templates.

May import every domain stage (`study`, `privacy`, `coding`, `assist`, `inventory`, `monitor`); no domain
stage imports it (tests/test_architecture.py checks this).
"""
