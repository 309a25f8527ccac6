"""The published contract: JSON Schema per event and AsyncAPI for the whole topology.

Everything here reads the IR, the graph and the compiled filters; nothing recompiles.
"""
