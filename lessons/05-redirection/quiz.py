"""Lesson 5 quiz: after a few redirected commands, what is in the file, what reached the terminal?

The model: redirections are applied left to right on the child's fd table; `>` truncates,
`>>` appends, `2>&1` copies what fd 1 refers to at that moment -- the same open file, so
one shared offset; naming the file twice (`> f 2> f`) opens it twice, with an offset each.
`./both N` writes `outN` to fd 1, then `errN` to fd 2.
"""

from pathlib import Path

from lessons import build
from lessons.quizzes import Claim, Question, rng, run

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
    ("> f 2> f", ("f", "w"), ("f", "w")),
    (">> f 2>> f", ("f", "a"), ("f", "a")),
    ("2> /dev/null", "tty", None),
]


def simulate(commands: list[tuple[int, tuple]]) -> tuple[list[str], list[str]]:
    """(lines in f, lines on the terminal) after running the commands in order.

    Each redirection to f is an open file with its own offset (`>` truncates when it is
    opened, `>>` writes at the end every time); `2>&1` shares fd 1's open file and offset.
    """
    f = bytearray()
    tty: list[str] = []
    for n, (_, out, err) in commands:
        offsets: dict[str, int] = {}  # one entry per open file: fd 1's and fd 2's
        for fd, target in (("1", out), ("2", err)):
            if target not in ("tty", "same", None):
                offsets[fd] = 0
                if target[1] == "w":
                    f.clear()
        if err == "same":
            err, offsets["2"] = out, None  # fd 2 is fd 1's open file: the offset is fd 1's
        for fd, target, line in (("1", out, f"out{n}\n"), ("2", err, f"err{n}\n")):
            if target == "tty":
                tty.append(line.strip())
            elif target is not None:
                key = fd if offsets[fd] is not None else "1"
                at = len(f) if target[1] == "a" else offsets[key]
                f[at:at + len(line)] = line.encode()
                offsets[key] = at + len(line)
    return f.decode().split(), tty


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

    def offsets(where) -> str | None:
        build.compile_c(BOTH, out=where / "both")
        twice = run(["sh", "-c", "./both 0 > g 2> g; cat g"], where).stdout
        shared = run(["sh", "-c", "./both 0 > g 2>&1; cat g"], where).stdout
        if (twice, shared) != ("err0\n", "out0\nerr0\n"):
            return f"`> g 2> g` left {twice!r}, `> g 2>&1` left {shared!r}"
        return None

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
            "`2>&1 > f` fd 2 still goes to the terminal. A copy made by `2>&1` (dup2) shares "
            "fd 1's open file and its offset; `> f 2> f` opens f twice, each open with its "
            "own offset starting at 0, so `errN` overwrites `outN` (`>>` always writes at "
            "the end).",
        observe=observe,
        trace=shown,
        files={"both.c": BOTH.read_text()},
        claims=[Claim("`> f 2> f` opens f twice, each open with its own offset starting at 0, "
                      "so `errN` overwrites `outN`", offsets)],
    )

