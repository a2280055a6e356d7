"""minishell: a toolkit for teaching operating systems.

`minishell.shell` is a Unix shell built on fork, exec and wait; `minishell.trace`
is a ptrace syscall tracer. The graders live in the `graders` package and the
course in `lessons`.
"""

__version__ = "0.1.0"
