"""`evtc lsp`: the language server's handlers (pygls), over the state in `session`.

Diagnostics are published a debounce after the last change (`initializationOptions`:
`{"debounce": milliseconds}`, default 200), from `evtc check`'s own checker. Requests
about positions (hover, definition, references, rename, outline, folding) first bring the
compilation up to date with the text; completion uses the last compilation's names with
the current text, so it never waits for a compile.
"""

from __future__ import annotations

import gc
import importlib.util
import logging
import os
import re
import sys
from collections.abc import Callable

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path

from evtc.lsp import actions, completion, diagnostics, hover, outline
from evtc.lsp.index import COMPONENT, EVENT, FIELD, NAMED, TYPE, Index, Occurrence
from evtc.lsp.positions import Lines
from evtc.lsp.session import EvtcServer, guarded, guarded_publish
from evtc.span import Span

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

server = EvtcServer()


@server.feature(types.INITIALIZE)
@guarded()
def initialize(ls: EvtcServer, params: types.InitializeParams) -> None:
    options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    if isinstance(options.get("debounce"), (int, float)) and options["debounce"] >= 0:
        ls.debounce = options["debounce"] / 1000
    if isinstance(options.get("reuse"), bool):
        ls.reuse = options["reuse"]
    if isinstance(options.get("docsUrl"), str):
        ls.docs_url = options["docsUrl"].rstrip("/")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded()
def did_open(ls: EvtcServer, params: types.DidOpenTextDocumentParams) -> None:
    guarded_publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded()
def did_change(ls: EvtcServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded()
def did_save(ls: EvtcServer, params: types.DidSaveTextDocumentParams) -> None:
    guarded_publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded()
def did_close(ls: EvtcServer, params: types.DidCloseTextDocumentParams) -> None:
    doc = ls.documents.pop(params.text_document.uri, None)
    if doc is not None and doc.pending is not None:
        doc.pending.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


def _at(ls: EvtcServer, uri: str, position: types.Position) -> tuple[Index, list[Occurrence]]:
    index = ls.document(uri).index(ls.text(uri))
    line, column = index.lines.column(position)
    return index, index.at(line, column)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded()
def on_hover(ls: EvtcServer, params: types.HoverParams) -> types.Hover | None:
    index, _ = _at(ls, params.text_document.uri, params.position)
    line, column = index.lines.column(params.position)
    parts = [hover.hover(index, line, column)]
    for d in diagnostics.check(index.compilation, ls.document(params.text_document.uri).path):
        s = d.span
        if s.file == index.file and (s.line, s.column) <= (line, column) <= (s.end_line, s.end_column):
            parts.append(hover.code_page(d.code))
    text = "\n\n---\n\n".join(p for p in dict.fromkeys(parts) if p)
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text)) if text else None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@guarded(list)
def on_definition(ls: EvtcServer, params: types.DefinitionParams) -> list[types.Location]:
    part = _used_part(ls, params.text_document.uri, params.position)
    if part is not None:
        return [part]
    index, found = _at(ls, params.text_document.uri, params.position)
    where = _locate(ls, index, params.text_document.uri)
    return [where(d.span) for o in found if o.kind in NAMED for d in index.definitions(o.kind, o.key)]


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@guarded(list)
def on_references(ls: EvtcServer, params: types.ReferenceParams) -> list[types.Location]:
    index, found = _at(ls, params.text_document.uri, params.position)
    include = params.context.include_declaration
    spans = {
        (u.span.file != index.file, u.span.file, u.span.line, u.span.column): u.span
        for o in found
        if o.kind in NAMED
        for u in index.uses(o.kind, o.key)
        if include or not u.definition
    }
    where = _locate(ls, index, params.text_document.uri)
    return [where(s) for _, s in sorted(spans.items())]


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
@guarded()
def on_prepare_rename(ls: EvtcServer, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
    index, found = _at(ls, params.text_document.uri, params.position)
    named = [o for o in found if o.kind in NAMED]
    if not named:
        return None
    return types.PrepareRenamePlaceholder(index.lines.range(named[0].span), named[0].key.rsplit(".", 1)[-1])


@server.feature(types.TEXT_DOCUMENT_RENAME)
@guarded()
def on_rename(ls: EvtcServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    if not _NAME.match(params.new_name):
        raise JsonRpcInvalidParams(f"'{params.new_name}' is not a name: use letters, digits and underscores")
    index, found = _at(ls, params.text_document.uri, params.position)
    for o in found:
        taken = _taken(index, o, params.new_name)
        if taken:
            raise JsonRpcInvalidParams(f"there is already {taken} named '{params.new_name}'")
    spans = {
        (u.span.file, u.span.line, u.span.column): u.span
        for o in found
        if o.kind in NAMED
        for u in index.uses(o.kind, o.key)
    }
    if not spans:
        return None
    # NOTE: a topology in several files has one namespace: the rename edits each of them
    where = _locate(ls, index, params.text_document.uri)
    changes: dict[str, list[types.TextEdit]] = {}
    for _, s in sorted(spans.items()):
        place = where(s)
        changes.setdefault(place.uri, []).append(types.TextEdit(place.range, params.new_name))
    return types.WorkspaceEdit(changes=changes)


_USE_LINE = re.compile(r'^[ \t]*use[ \t]+"([^"\\]*)"')


def _used_part(ls: EvtcServer, uri: str, position: types.Position) -> types.Location | None:
    """On the path of a `use "part.evt"`: the start of that file."""
    doc = ls.document(uri)
    line = Lines(ls.text(uri)).line(position.line) if doc.path else ""
    match = _USE_LINE.match(line)
    if doc.path is None or match is None or not match.start(1) - 1 <= position.character <= match.end(1) + 1:
        return None
    target = (doc.path.parent / match.group(1)).resolve()
    if not target.is_file():
        return None
    start = types.Position(0, 0)
    return types.Location(from_fs_path(str(target)) or str(target), types.Range(start, start))


def _locate(ls: EvtcServer, index: Index, uri: str) -> Callable[[Span], types.Location]:
    """Span → LSP location, in the open document or another file of its topology."""
    where = ls.where(index.compilation)

    def location(span: Span) -> types.Location:
        if span.file == index.file or span.file not in where:
            return types.Location(uri, index.lines.range(span))
        other, lines = where[span.file]
        return types.Location(other, lines.range(span))

    return location


def _taken(index: Index, o: Occurrence, name: str) -> str | None:
    """What already bears `name` where `o`'s name would be renamed to it, if anything."""
    t = index.compilation.topology
    if o.kind == COMPONENT and name != o.key and t.component(name) is not None:
        return "a component"
    if o.kind == EVENT and name != o.key and t.event(name) is not None:
        return "an event"
    if o.kind == TYPE and name != o.key and any(d.name == name for d in t.types):
        return "a type"
    if o.kind == FIELD:
        parent, _, own = o.key.rpartition(".")
        if name != own and index.definitions(FIELD, f"{parent}.{name}"):
            return "a field"
    return None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded(list)
def on_symbols(ls: EvtcServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return outline.symbols(ls.document(params.text_document.uri).index(ls.text(params.text_document.uri)))


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
@guarded(list)
def on_folding(ls: EvtcServer, params: types.FoldingRangeParams) -> list[types.FoldingRange]:
    return outline.folding(ls.document(params.text_document.uri).index(ls.text(params.text_document.uri)))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[".", ":", "@", "["]))
@guarded(list)
def on_completion(ls: EvtcServer, params: types.CompletionParams) -> list[types.CompletionItem]:
    uri = params.text_document.uri
    text = ls.text(uri)
    doc = ls.document(uri)
    if doc.compilation is None:
        doc.compile(text)
    return completion.complete(text, Lines(text).at(params.position), doc.compilation)


def on_code_action(ls: EvtcServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    doc = ls.document(uri)
    compilation = doc.compile(ls.text(uri))
    found = [d for d in diagnostics.check(compilation, doc.path) if d.span.file in (doc.front.file, "")]
    return actions.code_actions(found, compilation, uri, params.range, ls.docs_url, doc.front.file)


def on_formatting(ls: EvtcServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    uri = params.text_document.uri
    edits, problem = actions.formatting(ls.text(uri), ls.document(uri).front.file)
    if problem:
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"evtc fmt: {problem}"))
    return edits


# NOTE: quick fixes and formatting are evtc.check.fixes' and evtc.frontend.fmt's (what `evtc check --fix`
# and `evtc fmt` run); advertised only when those modules are there to run them.
if importlib.util.find_spec("evtc.check.fixes") is not None:
    kinds = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, kinds)(guarded(list)(on_code_action))
if importlib.util.find_spec("evtc.frontend.fmt") is not None:
    server.feature(types.TEXT_DOCUMENT_FORMATTING)(guarded(list)(on_formatting))


def serve() -> None:
    """Run the server on stdin and stdout until the client says `exit`."""
    logging.basicConfig(level=logging.WARNING, format="evtc lsp: %(levelname)s %(message)s")
    # NOTE: the rules run in a worker thread, and a request answered meanwhile changes
    # threads several times (reader, event loop, handler); handing the interpreter's lock
    # over every 1 ms instead of 5 halves how long it waits for each turn
    sys.setswitchinterval(0.001)
    gc.disable()  # NOTE: the session collects when nobody waits (evtc.lsp.collector)
    server.start_io()
    if sys.stdout.closed:
        # NOTE: pygls closes stdout on `exit`; the `evtc` command flushes it when it exits
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
