"""Lesson 8 quiz: how many minor faults does a pattern of touches cause?

The model: the first touch of a fresh anonymous page faults once (a read maps the shared zero
page, a write a private zero-filled page); a write to a page that was only read faults again
(copy of the zero page); any other touch of a mapped page does not fault.
"""

from lessons.quizzes import Claim, Question, compiled, rng, run

TEMPLATE = """#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static long minor_faults(void)
{{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}}

int main(void)
{{
    long page = sysconf(_SC_PAGESIZE);
    volatile char *mem = mmap(NULL, {pages} * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)mem, {pages} * page, MADV_NOHUGEPAGE);
    long before = minor_faults();
    for (long i = 0; i < {pages}; i += {step1})
        {op1};
    for (long i = {start2}; i < {pages}; i += {step2})
        {op2};
    printf("%ld\\n", minor_faults() - before);
    return 0;
}}
"""


def close_enough(measured: int, model: int) -> bool:
    return abs(measured - model) <= max(3, model // 50)


def generate(seed: int) -> Question:
    r = rng(seed)
    pages = r.choice([100, 200, 300, 400, 600])
    step1, step2 = r.choice([1, 2, 3, 4]), r.choice([1, 2, 3, 5])
    start2 = r.choice([0, 1])
    write1, write2 = r.random() < 0.5, r.random() < 0.6
    op = {True: "mem[i * page] = 1", False: "(void)mem[i * page]"}
    first = set(range(0, pages, step1))
    faults = len(first)
    for i in range(start2, pages, step2):
        if i not in first:
            faults += 1                      # a fresh page: first touch
        elif write2 and not write1:
            faults += 1                      # written after only a read: the zero page is copied
    program = TEMPLATE.format(pages=pages, step1=step1, step2=step2, start2=start2,
                              op1=op[write1], op2=op[write2])
    answer = f"about {faults}"

    def observe(where) -> str:
        measured = int(run([compiled(where)], where).stdout)
        return answer if close_enough(measured, faults) else str(measured)

    def read_then_write(where) -> str | None:
        """200 pages read, then written: 200 faults each time (400), on this machine."""
        (where / "zero.c").write_text(TEMPLATE.format(
            pages=200, step1=1, step2=1, start2=0, op1=op[False], op2=op[True]))
        measured = int(run([compiled(where, "zero.c")], where).stdout)
        return None if close_enough(measured, 400) else f"200 pages read then written: " \
            f"{measured} faults, not about 400"

    return Question(
        seed=seed, filename="quiz.c", program=program,
        ask="How many minor page faults do the two loops cause (the number the program "
            "prints)? Answer `about N`: a count within 2% (or 3) of N is right.",
        answer=answer,
        why="The first touch of each fresh page faults once -- a read maps the shared zero "
            "page, a write a new private page. A page that was only *read* faults again at "
            "its first write (the zero page is copied). Touching a page already written "
            "costs nothing.",
        observe=observe,
        trace=None,
        claims=[Claim("A page that was only *read* faults again at its first write",
                      read_then_write)],
    )
