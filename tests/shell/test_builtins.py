"""Builtins: what the differential corpus cannot show (it runs `-c` scripts only).

- at a prompt, an error in a special builtin fails the command but keeps the shell;
- a trap's signal reaches a child with its default action, an ignored one stays ignored
  (read from /proc/PID/status: SigCgt and SigIgn, the kernel's own record);
- the registry: every special builtin POSIX lists is marked, and every builtin has a summary.
"""

from __future__ import annotations

import signal

from minishell_run import run, text

from minishell.shell.builtins import BUILTINS, SPECIAL, SUMMARIES


def test_special_builtin_errors_end_a_script_but_not_a_prompt(tmp_path):
    script = "shift 5\necho still here\nset -q\necho and here\nexit 2147483648\necho end\n"
    interactive = run(["-i"], tmp_path, input=script)
    assert "still here" in text(interactive.stdout)
    assert "and here" in text(interactive.stdout) and "end" in text(interactive.stdout)
    assert "can't shift that many" in text(interactive.stderr)
    assert "Illegal number: 2147483648" in text(interactive.stderr)
    batch = run([], tmp_path, input=script)
    assert "still here" not in text(batch.stdout) and batch.returncode == 2


def signal_masks(pid_line: str) -> tuple[int, int]:
    """(caught, ignored) bit masks from a `SigCgt:` and `SigIgn:` pair."""
    fields = dict(line.split(":\t") for line in pid_line.splitlines() if ":\t" in line)
    return int(fields["SigCgt"], 16), int(fields["SigIgn"], 16)


def test_trapped_signals_are_default_in_children_and_ignored_ones_stay_ignored(tmp_path):
    # The child prints its own /proc status: what the kernel says it catches and ignores.
    result = run(["-c", "trap 'echo t' USR1; trap '' USR2; cat /proc/self/status"], tmp_path)
    caught, ignored = signal_masks(text(result.stdout))
    usr1, usr2 = 1 << (signal.SIGUSR1 - 1), 1 << (signal.SIGUSR2 - 1)
    assert not caught & usr1 and not ignored & usr1  # SIGUSR1: back to the default
    assert ignored & usr2  # SIGUSR2: still ignored after exec, as POSIX asks


def test_the_shell_itself_catches_a_trapped_signal(tmp_path):
    result = run(["-c", "trap 'echo t' USR1; trap '' USR2; cat /proc/$$/status"], tmp_path)
    caught, ignored = signal_masks(text(result.stdout))
    assert caught & (1 << (signal.SIGUSR1 - 1)) and ignored & (1 << (signal.SIGUSR2 - 1))


def test_registry_marks_the_posix_special_builtins():
    posix_special = {"break", ":", "continue", ".", "eval", "exec", "exit", "export",
                     "readonly", "return", "set", "shift", "times", "trap", "unset"}
    assert SPECIAL == posix_special
    for name in ("read", "printf", "echo", "test", "[", "getopts", "alias", "unalias", "kill",
                 "wait", "umask", "ulimit", "hash", "type", "true", "false", "cd", "pwd"):
        assert name in BUILTINS and name not in SPECIAL, name
        assert SUMMARIES[name].strip(), name
