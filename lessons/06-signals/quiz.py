"""Lesson 6 quiz: with these handlers, what does a program print when it signals itself?

The model: a signal with a handler runs it; an ignored signal (SIG_IGN) does nothing; with
the default action SIGUSR1, SIGUSR2, SIGTERM and SIGHUP terminate the process (the shell
then reports 128 + the number) while SIGCHLD and SIGWINCH are ignored. A signal a process
sends itself is delivered before kill() returns, so the order is fixed.
"""

import signal

from lessons.quizzes import Claim, Question, rng, run

SIGNALS = ["SIGUSR1", "SIGUSR2", "SIGTERM", "SIGHUP", "SIGCHLD", "SIGWINCH"]
IGNORED_BY_DEFAULT = {"SIGCHLD", "SIGWINCH"}


def generate(seed: int) -> Question:
    r = rng(seed)
    chosen = r.sample(SIGNALS, 4)
    disposition = {s: r.choice(["handler", "handler", "ignore", "default"]) for s in chosen}
    sends = [r.choice(chosen) for _ in range(r.randint(3, 5))]
    lines = ["import os", "import signal", "", "",
             "def handler(signum, frame):",
             '    print("caught", signal.Signals(signum).name, flush=True)', "", ""]
    for s in chosen:
        if disposition[s] == "handler":
            lines.append(f"signal.signal(signal.{s}, handler)")
        elif disposition[s] == "ignore":
            lines.append(f"signal.signal(signal.{s}, signal.SIG_IGN)")
        else:
            lines.append(f"signal.signal(signal.{s}, signal.SIG_DFL)  # the default action")
    out, status = [], 0
    for i, s in enumerate(sends):
        lines.append(f'print("send {i + 1}", flush=True)')
        lines.append(f"os.kill(os.getpid(), signal.{s})")
        if status:
            continue
        out.append(f"send {i + 1}")
        if disposition[s] == "handler":
            out.append(f"caught {s}")
        elif disposition[s] == "default" and s not in IGNORED_BY_DEFAULT:
            status = 128 + int(getattr(signal, s))
    lines.append('print("end", flush=True)')
    if not status:
        out.append("end")
    answer = " / ".join(out) + f" / $?={status}"

    program = "\n".join(lines) + "\n"

    def observe(where, ignoring=()) -> str:
        proc = run(["python3", "quiz.py"], where, check=False, ignoring=ignoring)
        code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
        return " / ".join(proc.stdout.splitlines()) + f" / $?={code}"

    def ignored_then_reset(where) -> str | None:
        """Started with all six signals ignored (nohup and more), the answer is the same."""
        ignored = tuple(getattr(signal, s) for s in SIGNALS)
        seen = observe(where, ignored)
        if seen != answer:
            return f"started with the signals ignored it printed {seen}"
        if not status:
            return None
        # without the SIG_DFL lines the inherited SIG_IGN stays: nothing kills it
        (where / "noreset.py").write_text(
            "".join(line for line in program.splitlines(True) if "SIG_DFL" not in line))
        proc = run(["python3", "noreset.py"], where, check=False, ignoring=ignored)
        if proc.returncode == status - 128 or proc.returncode == 128 - status:
            return "without SIG_DFL the ignored signal still killed it: the claim is not shown"
        return None

    return Question(
        seed=seed, filename="quiz.py", program=program,
        ask="What does `python3 quiz.py` print, and what is `$?` after it? Answer with the "
            "lines separated by ` / `, then `$?=N` (SIGHUP 1, SIGUSR1 10, SIGUSR2 12, "
            "SIGTERM 15, SIGCHLD 17, SIGWINCH 28).",
        answer=answer,
        why="A handled signal runs the handler and the program goes on; an ignored one does "
            "nothing. With the default action, SIGUSR1/SIGUSR2/SIGTERM/SIGHUP terminate the "
            "process at once (so no later line is printed, and `$?` is 128 + the number); "
            "SIGCHLD and SIGWINCH are ignored by default. `SIG_DFL` is set explicitly: a "
            "signal ignored by whoever started the program (`nohup` ignores SIGHUP) stays "
            "ignored across fork and exec.",
        observe=observe,
        trace=lambda where: ["minitrace", "-e", "trace=kill", "python3", "quiz.py"],
        claims=[Claim("a signal ignored by whoever started the program (`nohup` ignores "
                      "SIGHUP) stays ignored across fork and exec", ignored_then_reset)],
    )
