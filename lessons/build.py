"""Compiling the lessons' C programs on the fly, into a cache the student never edits.

Each binary's name carries a hash of its source and flags, and is written under a temporary
name then renamed into place: two demos (or two test workers) building the same program
at once both get a complete binary, and an edited source is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .catalog import Lesson, LessonError

CFLAGS = ["-O1", "-Wall", "-Wextra", "-std=gnu11"]


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "minishell" / "lessons"


class CompileError(Exception):
    def __init__(self, source: Path, log: str):
        super().__init__(f"{source.name} does not compile")
        self.source = source
        self.log = log


def compile_c(source: Path, out: Path | None = None, flags: list[str] | None = None) -> Path:
    """gcc SOURCE into the cache (or OUT); returns the binary, or raises CompileError."""
    return compile_with_warnings(source, out, flags)[0]


def compile_with_warnings(source: Path, out: Path | None = None,
                          flags: list[str] | None = None) -> tuple[Path, str]:
    """compile_c, also returning what gcc said about a program it did build: its warnings,
    kept beside a cached binary (NAME.warnings) so a second build of the same text says them
    again without running gcc."""
    if shutil.which("gcc") is None:
        raise LessonError("gcc is not installed: the C programs of the lessons need it")
    flags = CFLAGS + (flags or [])
    code = source.read_bytes()
    digest = hashlib.sha256(code + " ".join(flags).encode()).hexdigest()[:16]
    if out is None:
        out = cache_root() / "bin" / f"{source.stem}-{digest}"
        said = out.with_name(out.name + ".warnings")
        if out.exists() and said.exists():
            return out, said.read_text()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{source.stem}.")
    os.close(fd)
    try:
        proc = subprocess.run(["gcc", *flags, "-o", tmp, str(source)],
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise CompileError(source, proc.stderr)
        if out.parent == cache_root() / "bin":
            _place_text(out.with_name(out.name + ".warnings"), proc.stderr)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out, proc.stderr


def _place_text(dest: Path, text: str) -> None:
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, dest)


def demo_dir(lesson: Lesson) -> Path:
    """A folder with the lesson's demos ready to run: C compiled, the rest copied.

    Demo steps and runnable blocks run here, so the text can say `./fork2` and `python3 family.py`;
    `./showfds` (lessons/probes/showfds.c) is there too.
    """
    where = cache_root() / lesson.name
    where.mkdir(parents=True, exist_ok=True)
    _place(probe("showfds"), where / "showfds", link=True)  # every lesson may look at its fds
    for src in sorted((lesson.path / "demos").iterdir()):
        if src.suffix == ".c":
            binary = compile_c(src)
            _place(binary, where / src.stem, link=True)
        elif src.is_file():
            _place(src, where / src.name, link=False)
    return where


def _place(src: Path, dest: Path, link: bool) -> None:
    """Put SRC at DEST atomically (a symlink to a cached binary, or a copy)."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}")
    if link:
        if dest.is_symlink() and os.readlink(dest) == str(src):
            return
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(src)
    else:
        if dest.exists() and dest.read_bytes() == src.read_bytes():
            return
        shutil.copy2(src, tmp)
    os.replace(tmp, dest)


def probe(name: str) -> Path:
    """A compiled helper of the checks (lessons/probes/NAME.c): fdspy, showfds."""
    return compile_c(Path(__file__).with_name("probes") / f"{name}.c")
