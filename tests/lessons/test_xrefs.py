"""Every cross-reference in the course resolves: links, lessons, `help` topics, graders, tools."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lessons import cli
from lessons.catalog import HERE, all_lessons

REPO = HERE.parent
LESSONS = all_lessons()
TEXTS = [(lesson, lesson.text) for lesson in LESSONS]


def everything(lesson) -> str:
    """The lesson's text plus what the student meets around it: demo, exercises, hints."""
    parts = [lesson.text, (lesson.path / "demo.toml").read_text()]
    for ex in lesson.exercises:
        parts += [ex.config["task"], *ex.hints, ex.starter.read_text()]
    return "\n".join(parts)


def test_there_are_nine_lessons_in_order():
    assert [lesson.number for lesson in LESSONS] == list(range(1, 10))
    assert [lesson.name for lesson in LESSONS] == [
        "01-fork", "02-exec", "03-wait", "04-pipes", "05-redirection", "06-signals",
        "07-syscalls", "08-page-faults", "09-nic"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_markdown_links_resolve(lesson):
    for target in re.findall(r"\]\(([^)#]+)\)", lesson.text):
        if "://" not in target:
            assert (lesson.path / target).resolve().exists(), target


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_named_files_exist(lesson):
    for name in re.findall(r"`demos/([\w.-]+)`", lesson.text):
        assert (lesson.path / "demos" / name).exists(), name
    for path in re.findall(r"`((?:minishell|graders)/[\w/.-]+\.\w+)`", everything(lesson)):
        assert (REPO / path).exists(), path


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_lesson_numbers_and_commands_resolve(lesson):
    text = everything(lesson)
    for n in re.findall(r"\blesson (\d+)\b", text):
        assert 1 <= int(n) <= len(LESSONS), n
    commands = set(cli.build_parser()._subparsers._group_actions[0].choices)
    for command, n in re.findall(r"minilesson (\w+) (\d+)", text):
        assert command in commands and 1 <= int(n) <= len(LESSONS), (command, n)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_graders_named_exist(lesson):
    for project in re.findall(r"minigrade (\w+)", everything(lesson)):
        assert (REPO / "graders" / project / "project.py").exists(), project


def test_help_topics_in_the_lessons_exist_in_minishell():
    from minishell.shell.topics import TOPICS
    for lesson in LESSONS:
        for topic in re.findall(r"`help (\w+)`", lesson.text):
            assert topic in TOPICS, (lesson.name, topic)
            assert TOPICS[topic][1] == f"minilesson show {lesson.number}", (topic, TOPICS[topic])


def test_minishell_help_topics_point_at_real_lessons():
    from minishell.shell.topics import TOPICS
    names = {f"minilesson show {lesson.number}" for lesson in LESSONS}
    for topic, (_, ref) in TOPICS.items():
        assert ref in names, (topic, ref)
    assert {ref for _, ref in TOPICS.values()} == names  # every lesson is reachable by `help`


def test_minitrace_options_used_by_the_lessons_exist():
    help_text = subprocess.run([sys.executable, "-m", "minishell.trace", "--help"],
                               capture_output=True, text=True).stdout
    for lesson in LESSONS:
        for option in re.findall(r"minitrace (?:[^`\n\"]*? )?(--?[a-z][\w-]*)", everything(lesson)):
            assert re.search(rf"(^|\s|,){re.escape(option)}\b", help_text), (lesson.name, option)


def test_pfstat_statement_is_where_lesson_8_says():
    assert (REPO / "graders" / "pfstat" / "README.md").read_text().startswith("# Project")
    assert Path(LESSONS[7].path / "../../graders/pfstat/README.md").resolve().exists()
