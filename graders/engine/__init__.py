"""The shell grader's engine: a shell under test in a real pseudo-terminal, driven step by
step, and judged as a person at the terminal, `ps`/`/proc` and a syscall tracer would.

    terminal.py     what the pty showed: raw bytes -> what a person sees
    session.py      one shell on a pty: reading, typing, finding its pid
    steps.py        interpreting each step of a test (graders/spec.py)
    proc_checks.py  zombies and leaked descriptors, from /proc
    mechanism.py    fork/exec/wait/pipe/dup2 done by the shell itself, from minitrace
    foreground.py   under minitrace, the shell still leads its own session and the terminal
    scoring.py      one test start to end, its outcome; every test of a submission

Data flows one way: scoring -> steps -> (proc_checks, session -> terminal); scoring ->
mechanism.
"""

from .mechanism import check_mechanism, find_tracer
from .scoring import Submission, chosen_tests, run_test, run_tests, selected
from .session import Options, Session, StepFailed
from .steps import found

__all__ = ["Options", "Session", "StepFailed", "Submission", "check_mechanism",
           "chosen_tests", "find_tracer", "found", "run_test", "run_tests", "selected"]
