"""Lesson 4 quiz: what does a pipeline print, and how many processes does the shell make?

The model: each stage reads the previous stage's output as its input; the shell forks one
child per stage (and the shell itself is one more process).
"""

from lessons.quizzes import Claim, Question, processes_in_run, rng, run, traced


def apply(stage: tuple, lines: list[str]) -> list[str]:
    kind, arg = stage
    if kind == "head":
        return lines[:arg]
    if kind == "tail":
        return lines[-arg:] if arg else []
    if kind == "grep":
        return [line for line in lines if arg in line]
    if kind == "sort":
        return sorted(lines, reverse=True)
    if kind == "wc":
        return [str(len(lines))]
    raise ValueError(kind)


def text(stage: tuple) -> str:
    kind, arg = stage
    return {"head": f"head -n {arg}", "tail": f"tail -n {arg}", "grep": f"grep {arg}",
            "sort": "sort -r", "wc": "wc -l"}[kind]


def generate(seed: int) -> Question:
    r = rng(seed)
    start, end = r.randint(1, 20), r.randint(25, 60)
    stages = []
    for _ in range(r.randint(1, 3)):
        kind = r.choice(["head", "tail", "grep", "sort"])
        stages.append((kind, r.randint(1, 9) if kind == "grep" else
                       None if kind == "sort" else r.randint(3, 15)))
        if kind == "grep":
            stages[-1] = ("grep", str(stages[-1][1]))
    if r.random() < 0.5:
        stages.append(("wc", None))
    lines = [str(n) for n in range(start, end + 1)]
    for stage in stages:
        lines = apply(stage, lines)
    pipeline = " | ".join([f"seq {start} {end}"] + [text(s) for s in stages])
    answer = f"{' '.join(lines) or '(nothing)'}; {len(stages) + 2} processes"

    def observe(where) -> str:
        out = " ".join(run(["sh", "-c", pipeline], where).stdout.split()) or "(nothing)"
        return f"{out}; {processes_in_run(['sh', '-c', pipeline], where)} processes"

    def one_child_per_stage(where) -> str | None:
        events = traced(["sh", "-c", pipeline], where)
        if events is None:
            return None  # no minitrace here: the process count of the answer stands alone
        shell = next(e["pid"] for e in events if e["type"] == "start")
        kids = [e for e in events if e["type"] == "spawn" and e["pid"] == shell]
        if len(kids) != len(stages) + 1:
            return f"sh made {len(kids)} children for {len(stages) + 1} commands"
        return None

    return Question(
        seed=seed, filename="commands.sh", program=pipeline + "\n",
        ask="`sh -c` runs this pipeline. What does it print (the lines, separated by spaces), "
            "and how many processes run in all, `sh` included? Answer as "
            "`LINES; P processes`.",
        answer=answer,
        why="Each stage reads what the stage before it wrote (`seq A B` counts from A to B; "
            "`grep D` keeps lines containing D; `sort -r` sorts as text, backwards). The shell "
            "forks one child per command of the pipeline and connects them with pipes: the "
            "commands, plus the shell itself.",
        observe=observe,
        trace=lambda where: ["minitrace", "--tree", "sh", "-c", pipeline],
        claims=[Claim("The shell forks one child per command of the pipeline",
                      one_child_per_stage)],
    )
