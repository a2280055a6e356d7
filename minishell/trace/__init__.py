"""The tracer: tracee -> events (engine, decoding) -> renderers."""
