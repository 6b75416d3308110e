"""Text rules: inline marks, hyphenation, script rules, the builder's words and code highlighting.

Nothing here draws, so nothing here imports ReportLab (a test checks): the
card and site paths, and `check`, stay quick to start.
"""
