"""The course site: every topic as an accessible web page and an index with the release's downloads.

Pure functions from the model to HTML strings (`inline`, `topic_page`, `pages`,
`style`); `files.site_files` gathers them with the pictures into the site's
files, which the release command writes beside the other release files.
"""
