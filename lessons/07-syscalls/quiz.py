"""Lesson 7 quiz: how many write() system calls does a program with printf make?

The model: stdout into a file is fully buffered (4096 bytes with glibc on a file here), so
printf calls write only when the buffer fills, at fflush() and at exit; with _IOLBF one
write per newline; with _IONBF one write per printf; write() itself is always one call.
"""

import json

from lessons import tools
from lessons.quizzes import Claim, Question, compiled, local, rng, run

BUFSIZE = 4096


def generate(seed: int) -> Question:
    r = rng(seed)
    mode = r.choice(["full", "full", "line", "none"])
    n = r.randint(3, 12)
    flush_every = r.choice([0, 0, 2, 3, 4])
    raw = r.choice([0, 0, 1, 2])
    width = r.choice([10, 20, 700])  # line length; long lines overflow the buffer
    setup = {"full": "", "line": "    setvbuf(stdout, NULL, _IOLBF, 0);\n",
             "none": "    setvbuf(stdout, NULL, _IONBF, 0);\n"}[mode]
    body = [f"    for (int i = 1; i <= {n}; i++) {{",
            f'        printf("%0{width - 1}d\\n", i);']
    if flush_every:
        body.append(f"        if (i % {flush_every} == 0)\n            fflush(stdout);")
    body.append("    }")
    if raw:
        body.append(f'    for (int i = 0; i < {raw}; i++)\n        write(1, "raw\\n", 4);')
    program = ("#include <stdio.h>\n#include <unistd.h>\n\nint main(void)\n{\n" + setup +
               "\n".join(body) + "\n    return 0;\n}\n")
    sizes = write_sizes(mode, n, width, flush_every, raw)
    answer = str(len(sizes))

    def observe(where) -> str:
        prog = compiled(where)
        out = where / "out.txt"
        trace = where / "trace.jsonl"
        if tools.available("minitrace"):
            run(["sh", "-c", f"minitrace --json -o {trace} -e trace=write {prog} > {out}"],
                where)
            events = [json.loads(line) for line in trace.read_text().splitlines()]
            writes = [e for e in events if e["type"] == "syscall" and e["name"] == "write"]
        else:
            run(["sh", "-c", f"strace -qq -e trace=write -o {trace} {prog} > {out}"], where)
            writes = trace.read_text().splitlines()
        (where / "sizes.txt").write_text(" ".join(str(_size(w)) for w in writes))
        return str(len(writes))

    def split_lines(where) -> str | None:
        seen = (where / "sizes.txt").read_text().split()
        if seen != [str(size) for size in sizes]:
            return f"the writes were of {' '.join(seen)} bytes, the rule says {sizes}"
        return None

    return Question(
        seed=seed, filename="quiz.c", program=program,
        ask="`./quiz > out.txt` runs it with stdout into a file. How many `write` system calls "
            "does it make? (stdio's buffer for a file here is 4096 bytes.)",
        answer=answer,
        why="Into a file, stdout is fully buffered: `printf` copies into a 4096-byte buffer; "
            "when a line does not fit, glibc fills the buffer to exactly 4096 bytes -- "
            "splitting the line -- writes it, and keeps the rest. It also writes at `fflush` "
            "and at exit (an empty buffer writes nothing). `_IOLBF` writes at each newline, "
            "`_IONBF` at each printf. A `write()` in the program is always exactly one system "
            "call.",
        observe=observe,
        trace=lambda where: ["sh", "-c",
                             f"minitrace -e trace=write {local(where)} > out.txt"],
        claims=[Claim("glibc fills the buffer to exactly 4096 bytes -- splitting the line -- "
                      "writes it, and keeps the rest", split_lines)],
    )


def write_sizes(mode: str, n: int, width: int, flush_every: int, raw: int) -> list[int]:
    """The byte count of each write() the program makes, in order."""
    if mode in ("line", "none"):
        return [width] * n + [4] * raw
    sizes, used = [], 0
    for i in range(1, n + 1):
        if used + width > BUFSIZE:      # glibc fills the buffer to the byte, writes it out,
            sizes.append(BUFSIZE)       # and keeps the rest of the line
            used = used + width - BUFSIZE
        else:
            used += width
        if flush_every and i % flush_every == 0 and used:
            sizes.append(used)
            used = 0
    return sizes + [4] * raw + ([used] if used else [])   # the rest is written at exit


def _size(write) -> int:
    """Bytes written by one traced write: a minitrace event's result, or an strace line's."""
    if isinstance(write, dict):
        return write["ret"]
    return int(write.rsplit("=", 1)[1])
