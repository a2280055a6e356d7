"""Lesson 2 quiz: what does a program that mixes print() and exec print?

The model: a successful exec replaces the program, so nothing after it runs in that process;
a failed exec returns (here: raises) and the program goes on; a child that execs does not
stop its parent, which waits and continues.
"""

from lessons.quizzes import Claim, Question, rng, run, traced

WORDS = ["apple", "brick", "cloud", "delta", "ember", "fjord", "grape", "heron", "igloo"]


def make_steps(r) -> list[tuple[str, str]]:
    words = r.sample(WORDS, 6)
    kinds = [r.choice(["print", "print", "child", "fail", "exec"]) for _ in range(5)]
    return list(zip(kinds, words, strict=False))


def render(steps) -> str:
    out = ["import os", "", ""]
    for kind, word in steps:
        if kind == "print":
            out.append(f'print("{word}", flush=True)')
        elif kind == "exec":
            out.append(f'os.execvp("echo", ["echo", "{word}"])')
        elif kind == "fail":
            out += ["try:", f'    os.execvp("no-such-program", ["no-such-program", "{word}"])',
                    "except FileNotFoundError:", f'    print("no {word}", flush=True)']
        else:
            out += ["pid = os.fork()", "if pid == 0:",
                    f'    os.execvp("echo", ["echo", "{word}"])', "os.waitpid(pid, 0)"]
    return "\n".join(out) + '\nprint("the end", flush=True)\n'


def predict(steps) -> list[str]:
    lines = []
    for kind, word in steps:
        if kind == "fail":
            lines.append(f"no {word}")
        else:
            lines.append(word)
        if kind == "exec":
            return lines  # the rest of the Python program is gone
    return lines + ["the end"]


def observe(where) -> str:
    return " / ".join(run(["python3", "quiz.py"], where).stdout.splitlines())


def generate(seed: int) -> Question:
    steps = make_steps(rng(seed))
    def replaced(where) -> str | None:
        """The exec'ing process is the Python process itself: same pid, new program."""
        if not any(kind == "exec" for kind, _ in steps[:len(predict(steps))]):
            return None  # no successful exec in this program: nothing to confirm
        events = traced(["python3", "quiz.py"], where)
        if events is None:
            return None
        root = next(e["pid"] for e in events if e["type"] == "start")
        if not any(e["type"] == "exec" and e["pid"] == root
                   and (e.get("argv") or [""])[0] == "echo" for e in events):
            return "the tracer saw no exec of echo in the Python process itself"
        return None

    return Question(
        seed=seed, filename="quiz.py", program=render(steps),
        ask="What does `python3 quiz.py` print? Answer with the lines in order, separated "
            "by ` / `.",
        answer=" / ".join(predict(steps)),
        why="A successful `execvp` never returns: `echo` replaces Python in the same "
            "process, so no line after it runs. A failed one raises `FileNotFoundError` and "
            "the program goes on. A child "
            "that execs `echo` leaves its parent running; the parent waits, so the child's "
            "line comes first.",
        observe=observe,
        trace=lambda where: ["minitrace", "--tree", "python3", "quiz.py"],
        claims=[Claim("`echo` replaces Python in the same process", replaced)],
    )
