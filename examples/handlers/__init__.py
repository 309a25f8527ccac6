"""Handlers for the example topologies: the same code runs on Lambda and in `evtc.local`.

Each module keeps its "database" in memory (`STORE`) so tests can look at what the
handler did; on AWS that would be a table or a bucket. `reset()` empties it.
"""
