"""Build targets, one sub-package each, registered through the `evtc.targets` entry point group."""
