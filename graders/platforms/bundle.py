"""The toolkit's own source, as every platform bundle carries it.

A bundle ships the source the course tested, not a download at grading time: the
verdict a student gets on a platform is the verdict the TA saw on their laptop.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "minishell", "graders", "lessons")
SKIP = ("__pycache__", ".pytest_cache")


def source_root() -> Path:
    """The checkout this toolkit runs from (an installed wheel has no pyproject.toml)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").exists():
        raise SystemExit("minigrade export: run it from a source checkout of the toolkit "
                         "(git clone, then pip install -e .)")
    return root


def source_files() -> list[tuple[Path, str]]:
    """(file, path inside the bundle's minishell-src/) for every file of the source."""
    root, files = source_root(), []
    for part in SOURCE_PARTS:
        top = root / part
        paths = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in paths:
            if path.is_file() and not set(path.parts) & set(SKIP) and path.suffix != ".pyc":
                files.append((path, f"minishell-src/{path.relative_to(root)}"))
    return files


def copy_source(dest: Path) -> Path:
    """Copy the source under DEST/minishell-src; return that folder."""
    for path, arcname in source_files():
        target = dest / arcname
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return dest / "minishell-src"
