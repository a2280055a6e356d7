"""Lesson 3 quiz: what does a parent learn from waitpid(), and what is the shell's $? after it?

The model: exit(n) reaches the parent as n % 256; a child killed by signal s is WIFSIGNALED
with WTERMSIG s; the shell's $? is the exit status, or 128 + s for a killed process.
"""

import signal

from lessons.quizzes import Claim, Question, compiled, local, rng, run

HEADER = """#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child(int code, int sig)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (sig) {
            signal(sig, SIG_DFL);    /* default action, even under nohup */
            kill(getpid(), sig);
        }
        exit(code);
    }
    return pid;
}

int main(void)
{
    int s;
"""
SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGKILL": signal.SIGKILL, "SIGINT": signal.SIGINT,
           "SIGUSR1": signal.SIGUSR1, "SIGHUP": signal.SIGHUP}


def describe(code: int, sig: str | None) -> str:
    if sig:
        return f"killed {int(SIGNALS[sig])}"
    return f"exited {code % 256}"


def generate(seed: int) -> Question:
    r = rng(seed)
    kids = []
    for _ in range(r.randint(2, 3)):
        if r.random() < 0.35:
            kids.append((0, r.choice(list(SIGNALS))))
        else:
            kids.append((r.choice([0, 1, 2, 42, 255, 256, 257, 300, 511, 1000]), None))
    last_code, last_sig = kids[-1]
    lines = []
    for i, (code, sig) in enumerate(kids):
        lines += [f"    pid_t c{i} = child({code}, {sig or 0});"]
    for i in range(len(kids)):
        lines += [f"    waitpid(c{i}, &s, 0);",
                  '    if (WIFEXITED(s)) printf("exited %d\\n", WEXITSTATUS(s));',
                  '    else if (WIFSIGNALED(s)) printf("killed %d\\n", WTERMSIG(s));']
    lines += ["    fflush(stdout);",
              "    if (WIFSIGNALED(s)) {         /* end the way the last child did */",
              "        signal(WTERMSIG(s), SIG_DFL);",
              "        kill(getpid(), WTERMSIG(s));",
              "    }",
              "    return WEXITSTATUS(s);", "}", ""]
    program = HEADER + "\n".join(lines)
    shell_status = 128 + int(SIGNALS[last_sig]) if last_sig else last_code % 256
    answer = " / ".join(describe(c, s) for c, s in kids) + f" / $?={shell_status}"

    def observe(where, ignoring=()) -> str:
        out = run(["sh", "-c", f"{compiled(where)}; echo \"\\$?=$?\""], where,
                  check=False, ignoring=ignoring).stdout
        return " / ".join(out.splitlines())

    def ignored_then_reset(where) -> str | None:
        """Started with every signal of the quiz ignored, the answer is the same."""
        ignored = tuple(s for s in SIGNALS.values() if s != signal.SIGKILL)
        seen = observe(where, ignored)
        if seen != answer:
            return f"started with the signals ignored it printed {seen}"
        if not any(sig and sig != "SIGKILL" for _, sig in kids):
            return None
        # without the resets, the ignored signals kill nobody: the answer must change
        (where / "noreset.c").write_text("\n".join(
            line for line in program.splitlines() if "SIG_DFL" not in line) + "\n")
        out = run(["sh", "-c", f"{compiled(where, 'noreset.c')}; echo \"\\$?=$?\""], where,
                  check=False, ignoring=ignored).stdout
        if " / ".join(out.splitlines()) == answer:
            return "without SIG_DFL the ignored signals still killed: the claim is not shown"
        return None

    return Question(
        seed=seed, filename="quiz.c", program=program,
        ask="What does `./quiz; echo \"\\$?=$?\"` print? Answer with the lines separated by "
            "` / ` (signal numbers: SIGHUP 1, SIGINT 2, SIGKILL 9, SIGUSR1 10, SIGTERM 15).",
        answer=answer,
        why="`exit(n)` hands the parent only the low 8 bits: n % 256 (so 256 looks like "
            "success). A child killed by a signal is WIFSIGNALED with WTERMSIG = the signal. "
            "The shell's `$?` is the exit status, or 128 + the signal number. Each signal is "
            "first reset to its default action (`SIG_DFL`): an *ignored* signal kills nobody, "
            "and ignoring survives fork and exec -- under `nohup` SIGHUP is ignored, and a "
            "shell's background job ignores SIGINT.",
        observe=observe,
        trace=lambda where: ["minitrace", "--tree", local(where)],
        claims=[Claim("an *ignored* signal kills nobody, and ignoring survives fork and exec",
                      ignored_then_reset)],
    )
