"""The review screen: one figure at a time, decided with the keyboard (issue 17).

`queue` picks the next figure, `claims` keeps two curators off the same one, `decisions` verifies, rejects,
edits and undoes through articles/curation.py, `payload` is what the page shows of a figure, `views` the
page and its small JSON endpoints.
"""
