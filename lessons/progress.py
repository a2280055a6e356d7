"""What each student has done, remembered between sessions.

One small JSON file per user, where the XDG base-directory rules put state:
$XDG_STATE_HOME/minishell/lessons.json, or ~/.local/state/minishell/lessons.json.
Written to a temporary file and renamed, so an interrupted write never loses progress.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def state_file() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "minishell" / "lessons.json"


def load() -> dict:
    try:
        data = json.loads(state_file().read_text())
        if isinstance(data, dict) and isinstance(data.get("lessons"), dict):
            return data
    except (OSError, ValueError):
        pass
    return _empty()


def _empty() -> dict:
    return {"version": 1, "lessons": {}}


def lesson(number: int) -> dict:
    """The saved record of one lesson (empty when untouched)."""
    return load()["lessons"].get(str(number), {})


def update(number: int, **changes) -> dict:
    data = load()
    record = data["lessons"].setdefault(str(number), {})
    record.update(changes)
    path = state_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lessons.")
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError as e:  # a read-only home must not stop a lesson: say so and go on
        print(f"minilesson: cannot save your progress in {path}: {e.strerror}", file=sys.stderr)
    return record
