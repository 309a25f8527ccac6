"""Output formats and human views: the diagnostic formatters, `explain`, drawings, the IR dump."""
