"""Running the rules: configuration, suppressions, cache keys, the rule catalog."""
