"""The built-in diff rules (registered through the `evtc.diff_rules` entry point group)."""
