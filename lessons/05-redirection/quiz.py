"""Lesson 5 quiz: after a few redirected commands, what is in the file, what reached the terminal?

The model: redirections are applied left to right on the child's fd table; `>` truncates,
`>>` appends, `2>&1` copies what fd 1 refers to at that moment. `./both N` writes `outN`
to fd 1, then `errN` to fd 2.
"""

from pathlib import Path

from lessons import build
from lessons.quizzes import Question, rng, run

BOTH = Path(__file__).parent / "demos" / "both.c"
# each form: (shell text, where fd 1 goes, where fd 2 goes) -- "tty" or (file, mode)
FORMS = [
    ("> f", ("f", "w"), "tty"),
    (">> f", ("f", "a"), "tty"),
    ("2> f", "tty", ("f", "w")),
    ("2>> f", "tty", ("f", "a")),
    ("> f 2>&1", ("f", "w"), "same"),
    (">> f 2>&1", ("f", "a"), "same"),
    ("2>&1 > f", ("f", "w"), "tty"),
    ("2>&1 >> f", ("f", "a"), "tty"),
    ("> /dev/null 2>> f", None, ("f", "a")),
    ("2> /dev/null", "tty", None),
]


def simulate(commands: list[tuple[int, tuple]]) -> tuple[list[str], list[str]]:
    """(lines in f, lines on the terminal) after running the commands in order."""
    f: list[str] = []
    tty: list[str] = []
    for n, (_, out, err) in commands:
        opened = set()
        for target, line in ((out, f"out{n}"), (err if err != "same" else out, f"err{n}")):
            if target == "tty":
                tty.append(line)
            elif target is not None:
                name, mode = target
                if mode == "w" and name not in opened:   # truncated once, when opened
                    f.clear()
                opened.add(name)
                f.append(line)
    return f, tty


def generate(seed: int) -> Question:
    r = rng(seed)
    commands = [(n, r.choice(FORMS)) for n in range(1, r.randint(2, 4) + 1)]
    script = "".join(f"./both {n} {form[0]}\n" for n, form in commands)
    in_f, on_tty = simulate(commands)
    answer = f"f: {' '.join(in_f) or '(empty)'}; terminal: {' '.join(on_tty) or '(nothing)'}"

    def observe(where) -> str:
        build.compile_c(BOTH, out=where / "both")
        (where / "f").write_text("")
        tty = run(["sh", "commands.sh"], where, merge=True).stdout
        return (f"f: {' '.join((where / 'f').read_text().split()) or '(empty)'}; "
                f"terminal: {' '.join(tty.split()) or '(nothing)'}")

    def shown(where) -> list[str]:
        build.compile_c(BOTH, out=where / "both")
        return ["minitrace", "--fds", "sh", "commands.sh"]

    return Question(
        seed=seed, filename="commands.sh", program=script,
        ask="`./both N` writes `outN` to fd 1, then `errN` to fd 2. The file `f` starts "
            "empty. After these commands, what is in `f`, and what reached the terminal? "
            "Answer as `f: LINES; terminal: LINES` (lines separated by spaces).",
        answer=answer,
        why="Redirections run left to right in the child before exec. `>` truncates f, `>>` "
            "appends; `2>&1` makes fd 2 a copy of fd 1 *as it is at that point*: in "
            "`2>&1 > f` fd 2 still goes to the terminal.",
        observe=observe,
        trace=shown,
    )

