"""The C the course hands out compiles cleanly (-Wall -Wextra -Werror): demos, probes, starters,
and the reference solutions; compiled demos land in the cache, never in the package."""

import pytest

from lessons import build
from lessons.catalog import HERE, all_lessons

SOURCES = sorted([*HERE.glob("*/demos/*.c"), *HERE.glob("probes/*.c"),
                  *HERE.glob("*/exercises/*/*.c"), *HERE.glob("*/exercises/*/solution/*.c")])


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(HERE)))
def test_compiles_without_warnings(source):
    assert build.compile_c(source, flags=["-Werror"]).exists()


def test_demo_folder_is_in_the_cache_and_complete(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lesson = all_lessons()[1]
    where = build.demo_dir(lesson)
    assert tmp_path in where.parents
    for src in (lesson.path / "demos").iterdir():
        assert (where / (src.stem if src.suffix == ".c" else src.name)).exists()
    assert (where / "showfds").exists()
    assert not list(HERE.rglob("*.o")) and not (lesson.path / "demos" / "exec1").exists()
