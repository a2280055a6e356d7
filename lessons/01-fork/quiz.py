"""Lesson 1 quiz: how many lines does a generated fork program print, and how many processes run?

The model: a process that reaches `fork()` becomes two that both run the rest of the code;
a child that calls `exit(0)` runs nothing after it. Counting follows the code's structure.
"""

from lessons.quizzes import Question, compiled, local, processes_in_run, rng, run

HEADER = """#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);   /* each printf writes at once */
"""
FOOTER = """    while (wait(NULL) > 0)              /* reap my children */
        ;
    return 0;
}
"""


def make_steps(r, depth: int = 0) -> list[tuple]:
    """A random list of statements: ('print',), ('fork',), ('loop', k), ('child', body)."""
    steps = []
    for _ in range(r.randint(2, 4) if depth == 0 else r.randint(1, 2)):
        kind = r.choice(["print", "fork", "loop", "child"] if depth == 0 else ["print", "fork"])
        if kind == "loop":
            steps.append(("loop", r.randint(2, 3)))
        elif kind == "child":
            steps.append(("child", make_steps(r, depth + 1)))
        else:
            steps.append((kind,))
    if not any(s[0] == "print" for s in steps):
        steps.insert(r.randrange(len(steps) + 1), ("print",))
    return steps


def count(steps: list[tuple]) -> tuple[int, int]:
    """(lines printed, processes created) by one process running STEPS then returning."""
    if not steps:
        return 0, 0
    head, rest = steps[0], steps[1:]
    lines, procs = count(rest)
    if head[0] == "print":
        return lines + 1, procs
    if head[0] == "fork":      # two processes run the rest
        return 2 * lines, 2 * procs + 1
    if head[0] == "loop":      # k forks in a row
        return count([("fork",)] * head[1] + rest)
    body_lines, body_procs = count(head[1])   # 'child': the child runs the body then exits
    return lines + body_lines, procs + body_procs + 1


def render(steps: list[tuple], indent: str = "    ") -> str:
    out = []
    for s in steps:
        if s[0] == "print":
            out.append(f'{indent}printf("hello from %d\\n", getpid());')
        elif s[0] == "fork":
            out.append(f"{indent}fork();")
        elif s[0] == "loop":
            out.append(f"{indent}for (int i = 0; i < {s[1]}; i++)\n{indent}    fork();")
        else:
            out.append(f"{indent}if (fork() == 0) {{\n{render(s[1], indent + '    ')}"
                       f"{indent}    exit(0);\n{indent}}}")
        out[-1] += "\n"
    return "".join(out)


def observe(where) -> str:
    prog = compiled(where)
    lines = len(run([prog], where).stdout.splitlines())
    return f"{lines} lines, {processes_in_run([prog], where)} processes"


def generate(seed: int) -> Question:
    r = rng(seed)
    steps = make_steps(r)
    while count(steps)[1] + 1 > 40:  # keep the tree small enough to draw
        steps = make_steps(r)
    lines, procs = count(steps)
    program = HEADER + render(steps) + FOOTER
    return Question(
        seed=seed, filename="quiz.c", program=program,
        ask="How many lines does this program print, and how many processes run in all "
            "(the first one included)? Answer as `L lines, P processes`.",
        answer=f"{lines} lines, {procs + 1} processes",
        why="Each process that reaches `fork()` becomes two, and both run everything after "
            "it; `for` with k forks makes 2^k. A child inside `if (fork() == 0) { ... exit(0); }` "
            "runs only the block. Every process counts, including the first.",
        observe=observe,
        trace=lambda where: ["minitrace", "--tree", local(where)],
    )
