// The VS Code client: starts `evtc lsp` (stdio) for .evt files.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("evtc");
  const command = settings.get("path", "evtc");
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "evtc",
    "evtc",
    { run: server, debug: server },
    {
      documentSelector: [{ language: "evt" }],
      initializationOptions: { debounce: settings.get("debounce", 200) },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
