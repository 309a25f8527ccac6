"""`evtc docs`: a self-contained static catalog of topologies (no server, no network).

`facts` gathers what each page shows from the IR, the graph, the exported schemas, the
compiled filters, `explain`'s path guarantees and `check`'s diagnostics; `pages` renders
them with jinja2; `build` writes the folder.
"""
