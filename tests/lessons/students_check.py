"""Held-out student solutions, checked as a student checks (shared by test_students*.py):
`minilesson start N.K` in a fresh folder, the student's file put in place, `minilesson
check N.K`.

tests/lessons/students/N.K/ holds, for each exercise, solutions written the way different
students write them. Each file opens with a comment naming its verdict:

    verdict: pass                    -- a correct solution, however unlike ours: it passes
    verdict: fail "TEST" "PHRASE"    -- a classic mistake: TEST fails (failed, timeout or
                                        crashed -- never a checker error), and the one
                                        sentence shown for it contains PHRASE

A mistake is most often one or two lines in an otherwise sound program, so most wrong
solutions are kept as that change: NAME.patch holds the student's comment (with its
verdict), `base: FILE.c` (a solution in the same folder) and the hunks of a unified diff
that turn FILE.c's code into the student's.

A correct solution that fails, or a wrong one that passes, is a bug of the check (or of an
ambiguous statement), never of the student.
"""

import contextlib
import io
import re
from pathlib import Path

from lessons import cli
from lessons.catalog import exercise

STUDENTS = Path(__file__).parent / "students"
CASES = sorted(p for p in STUDENTS.glob("*/*") if p.suffix in (".c", ".py", ".patch"))
VERDICT = re.compile(r'verdict: (pass|fail "([^"]+)" "([^"]+)")')
PROBLEM = ("failed", "timeout", "crashed")


def minilesson(*args: str, cwd: Path) -> tuple[int, str]:
    """`minilesson ARGS` typed in CWD (the console script's main, in this process: a new
    interpreter per call costs seconds on a loaded machine); its status and all it said."""
    out = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out):
        code = cli.main(list(args))
    return code, out.getvalue()


def split(text: str) -> tuple[str, str]:
    """A C file's opening comment, and the code after it."""
    head, end, code = text.partition("*/\n")
    return head + end, code


def apply(code: str, hunks: str) -> str:
    """CODE with a unified diff's hunks applied; each hunk's old lines must occur once."""
    for hunk in hunks.split("\n@@")[1:]:
        rows = hunk.split("\n")[1:]
        old = "\n".join(r[1:] for r in rows if r[:1] in (" ", "-"))
        new = "\n".join(r[1:] for r in rows if r[:1] in (" ", "+"))
        assert code.count(old) == 1, f"a hunk does not apply once:\n{old}"
        code = code.replace(old, new)
    return code


def source(case: Path) -> str:
    """The student's file: a whole one, or the base solution with the student's change."""
    if case.suffix != ".patch":
        return case.read_text()
    head, _, rest = case.read_text().partition("base: ")
    base, _, hunks = rest.partition("\n")
    return head + apply(split((case.parent / base).read_text())[1], "\n" + hunks)


def verdict(case: Path) -> tuple[str, str, str]:
    m = VERDICT.search(case.read_text())
    assert m, f"{case}: no `verdict:` line"
    return ("pass", "", "") if m.group(1) == "pass" else ("fail", m.group(2), m.group(3))



def cases(*lessons: int) -> list[Path]:
    """The held-out solutions of these lessons (test_students*.py: one file per two
    lessons, so that pytest-xdist's workers share them)."""
    return [c for c in CASES if int(c.parent.name.split(".")[0]) in lessons]


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def check(case: Path, tmp_path: Path, monkeypatch) -> None:
    """One solution through `minilesson start` and `minilesson check`; its verdict."""
    monkeypatch.setenv("COLUMNS", "120")
    ex = exercise(case.parent.name)
    assert minilesson("start", ex.id, "work", cwd=tmp_path)[0] == 0
    # a .py solution is given by name (`minilesson check 1 fan.py`), as the lesson says
    suffix = ".c" if case.suffix == ".patch" else case.suffix
    mine = tmp_path / "work" / Path(ex.file).with_suffix(suffix).name
    mine.write_text(source(case))
    code, out = minilesson("check", ex.id, *([] if suffix == ".c" else [str(mine)]),
                           cwd=tmp_path)
    assert "Traceback" not in out and "grader error" not in out, out
    kind, name, phrase = verdict(case)
    if kind == "pass":
        assert code == 0, out
        return
    assert code == 1, out
    rows = re.findall(r"^(.+?): (failed|timeout|crashed|error) ─", out, re.M)
    assert rows and "error" not in {outcome for _, outcome in rows}, out
    shown = {row_name.strip() for row_name, _ in rows}
    assert name in shown, (name, shown, out)
    said = " ".join(out.split())  # the sentence, unwrapped
    assert " ".join(phrase.split()) in said, (phrase, out)
