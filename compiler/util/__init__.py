"""Small helpers every stage may use: records, suggestions, the collector pause, caches, plugin registries."""
