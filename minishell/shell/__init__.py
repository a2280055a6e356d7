"""The shell: text -> tokens (lexer) -> AST (parser) -> expansion -> executor."""
