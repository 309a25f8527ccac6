"""The .evt grammar: `evt.lark` is the language specification."""
