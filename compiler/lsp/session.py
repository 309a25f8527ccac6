"""The server's state: one `Document` per open file, and the publishing of diagnostics.

After each pause in typing the server publishes twice: the front end's findings on the
new text at once (with the rules' findings on declarations that did not change, carried
over), then, from a worker thread, exactly what `evtc check` reports. When an edit only
moved declarations by whole lines (a line added or removed between or after them), the
rules that declare `moves_with_text` are not run again for that check: their findings
move with the lines. Every handler is `guarded`: an error is logged to the client and
answered with an empty result.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from evtc import __version__
from evtc.diagnostics import Diagnostic
from evtc.filters.memo import remember_filters
from evtc.frontend import Compilation
from evtc.frontend.load import may_have_parts
from evtc.lsp import diagnostics
from evtc.lsp.collector import IdleCollector
from evtc.lsp.incremental import IncrementalFrontEnd
from evtc.lsp.index import Index
from evtc.lsp.positions import Lines
from evtc.lsp.shift import LineMap

log = logging.getLogger("evtc.lsp")
F = TypeVar("F", bound=Callable[..., Any])


class Document:
    """One open file: its front end, and the compilation and index of some version of it.

    A file of a topology in several files (it `use`s parts, or is one) is compiled with the
    rest of its topology, read from disk or, for files open in the editor, from their
    unsaved text (`open_texts`); a file alone goes through the incremental front end."""

    def __init__(self, uri: str, open_texts: Callable[[], dict[str, str]] | None = None, reuse: bool = True) -> None:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        self.uri = uri
        self.path = Path(path) if path else None
        self.front = IncrementalFrontEnd(path or uri, reuse)
        if reuse:
            remember_filters()  # NOTE: the plan of each version compiles only the filters it had not met
        self.open_texts = open_texts or dict
        self.compilation: Compilation | None = None
        self.compiled_text: str | None = None
        self.compiled_others: dict[str, str] = {}
        self._index: Index | None = None
        self.pending: asyncio.TimerHandle | None = None
        self.rule_findings: list[Diagnostic] = []  # the rules' findings on compile number `rules_generation`
        self.rules_generation = -1
        # the rules' own findings on compile number `rules_run_generation`, for the next check
        self.rules_run: diagnostics.RulesRun | None = None
        self.rules_run_generation = -1
        self.moved: LineMap | None = None  # the front end's, when it compiled the last version
        self._lines: Lines | None = None
        # NOTE: the compilation a compile replaces, released once its findings are out (see `release`)
        self.replaced: list[Compilation] = []

    @property
    def several(self) -> bool:
        """Whether the last compilation is of a topology in several files."""
        return self.compilation is not None and len(self.compilation.sources) > 1

    def compile(self, text: str) -> Compilation:
        others = self.open_texts() if self.path is not None else {}
        stale = self.several and others != self.compiled_others
        if self.compilation is None or text != self.compiled_text or stale:
            if self.compilation is not None:
                self.replaced = [*self.replaced[-2:], self.compilation]  # NOTE: typing on: a few at most
            self.compilation = self._compile(text, others)
            self.compiled_text, self.compiled_others = text, others
            self._index = None
        return self.compilation

    def _compile(self, text: str, others: dict[str, str]) -> Compilation:
        if self.path is not None and may_have_parts(text.encode("utf-8")):
            from evtc.frontend.load import Disk, compile_group, group

            found = group([str(self.path)], Disk({**others, str(self.path): text}))
            if found:  # NOTE: even of one file (its parts missing): what `evtc check` compiles
                self.moved = None
                return compile_group(found[0])
        compilation = self.front.compile(text)
        self.moved = self.front.moved
        return compilation

    def lines(self, text: str) -> Lines:
        """The lines of `text` (both publications of a version convert positions on one text)."""
        if self._lines is None or (self._lines.text is not text and self._lines.text != text):
            self._lines = Lines(text)
        return self._lines

    def release(self) -> None:
        """Let the compilations this document replaced go (freeing a plan and an analysis of a
        large file takes milliseconds: done after the diagnostics went out, not before), and
        the parses its front end forgot."""
        self.replaced.clear()
        self.front.release()

    def index(self, text: str) -> Index:
        self.compile(text)
        if self._index is None:
            assert self.compilation is not None
            self._index = Index(self.compilation, self.front.file)
        return self._index


class EvtcServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("evtc", __version__)
        self.documents: dict[str, Document] = {}
        self.debounce = 0.2
        self.reuse = True  # reuse the parses of unchanged declarations (`initializationOptions.reuse`)
        self.docs_url = diagnostics.DOCS
        self._tasks: set[asyncio.Future[None]] = set()
        self.collector = IdleCollector()  # NOTE: the cyclic collector's turns (see evtc.lsp.collector)

    def document(self, uri: str) -> Document:
        if uri not in self.documents:
            self.documents[uri] = Document(uri, self.open_texts, self.reuse)
        return self.documents[uri]

    def open_texts(self) -> dict[str, str]:
        """The unsaved text of every open file, by path (what a topology's other files read)."""
        found = {}
        for uri, doc in self.documents.items():
            if doc.path is not None and uri in self.workspace.text_documents:
                found[str(doc.path)] = self.workspace.get_text_document(uri).source
        return found

    def text(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    def publish(self, uri: str) -> None:
        """Publish the front end's findings on the current text at once (with the rules'
        findings on declarations that did not change, carried over), then, when the rules
        have run on it (in a worker thread), everything `evtc check` reports."""
        doc = self.document(uri)
        doc.pending = None
        source = self.workspace.get_text_document(uri)
        text, version = source.source, source.version
        self.collector.started()
        try:
            compilation = doc.compile(text)
            quick = diagnostics.check(compilation, doc.path, rules=False)
            syntax = any(d.category.value == "syntax" for d in quick)
            several = doc.several
            carried = [] if syntax or several else doc.front.carry(doc.rule_findings, doc.rules_generation)
            self._send(uri, version, doc.lines(text), doc, quick + carried)
            job = self._publish_rules(uri, version, doc, compilation, quick, doc.front.generation, doc.moved)
            task = asyncio.ensure_future(job)
        except BaseException:
            self.collector.finished()
            raise
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: self._done(doc))  # NOTE: also when cancelled

    def _done(self, doc: Document) -> None:
        self.collector.finished()
        if self.collector.busy == 0:
            doc.release()

    async def _publish_rules(
        self,
        uri: str,
        version: int | None,
        doc: Document,
        compilation: Compilation,
        quick: list[Diagnostic],
        generation: int,
        moved: LineMap | None,
    ) -> None:
        before = doc.rules_run if doc.rules_run_generation == generation - 1 else None
        try:
            loop = asyncio.get_running_loop()
            check = diagnostics.check_reusing
            full, run = await loop.run_in_executor(None, check, compilation, doc.path, before, moved)
        except Exception as error:  # noqa: BLE001  NOTE: never take the editor's server down; say why
            _report(self, f"checking {uri} failed: {type(error).__name__}: {error}")
            return
        if generation > doc.rules_run_generation:
            doc.rules_run, doc.rules_run_generation = run, generation
        if doc.compilation is not compilation or self.documents.get(uri) is not doc:
            return  # NOTE: the text changed meanwhile; its own check follows
        front = set(quick)
        findings = [d for d in full if d not in front]
        doc.rule_findings, doc.rules_generation = findings, generation
        self._send(uri, version, doc.lines(compilation.sources.get(doc.front.file, compilation.text)), doc, full)
        if len(compilation.sources) > 1:
            self._send_others(doc, compilation, full)

    def _send(self, uri: str, version: int | None, lines: Lines, doc: Document, found: list[Diagnostic]) -> None:
        where = self.where(doc.compilation)
        result = [diagnostics.to_lsp(d, lines, uri, self.docs_url, where) for d in found if _here(d.span.file, doc)]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=result, version=version)
        )

    def _send_others(self, doc: Document, compilation: Compilation, found: list[Diagnostic]) -> None:
        """The findings in the topology's other files, published to them (open or not)."""
        where = self.where(compilation)
        for file in compilation.sources:
            if file == doc.front.file:
                continue
            uri, lines = where[file]
            mine = [diagnostics.to_lsp(d, lines, uri, self.docs_url, where) for d in found if d.span.file == file]
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=mine))

    def where(self, compilation: Compilation | None) -> dict[str, tuple[str, Lines]]:
        """Each file of a topology in several files: its URI (an open document's own) and lines."""
        if compilation is None or len(compilation.sources) == 1:
            return {}
        uris = {str(d.path): uri for uri, d in self.documents.items() if d.path is not None}
        return {f: (uris.get(f) or from_fs_path(f) or f, Lines(t)) for f, t in compilation.sources.items()}

    def schedule(self, uri: str) -> None:
        doc = self.document(uri)
        if doc.pending is not None:
            doc.pending.cancel()
        doc.pending = asyncio.get_running_loop().call_later(self.debounce, guarded_publish, self, uri)


def _here(file: str, doc: Document) -> bool:
    return file in (doc.front.file, "")


def guarded_publish(server: EvtcServer, uri: str) -> None:
    try:
        server.publish(uri)
    except Exception as error:  # noqa: BLE001
        _report(server, f"publishing diagnostics for {uri} failed: {type(error).__name__}: {error}")


def _report(server: object, message: str) -> None:
    """Log an error to stderr and to the client's output (where a user can copy it into a bug report)."""
    log.exception(message)
    if isinstance(server, LanguageServer):
        server.window_log_message(types.LogMessageParams(types.MessageType.Error, f"evtc lsp: {message}"))


def guarded(default: Any = None) -> Callable[[F], F]:
    """A handler that answers `default` instead of failing (and logs the error)."""

    def wrap(handler: F) -> F:
        @functools.wraps(handler)
        def run(*args: Any) -> Any:
            try:
                return handler(*args)
            except JsonRpcInvalidParams:
                raise
            except Exception as error:  # noqa: BLE001
                _report(args[0], f"{handler.__name__} failed: {type(error).__name__}: {error}")
                return default() if callable(default) else default

        return run  # type: ignore[return-value]

    return wrap
