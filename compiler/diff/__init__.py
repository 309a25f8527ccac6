"""`evtc diff OLD NEW`: the changes between two versions of a topology that break consumers.

`sides` reads both versions (files, folders or a git revision), `changes` compares each
event's fields once, `rules` turn changes into diagnostics, `engine` runs them in the
configured compatibility mode.
"""
