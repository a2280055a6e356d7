"""Start-up: what `minishell -c ...` imports, read from Python's own record (-X importtime).

The speed itself is measured by bench/startup.py against bare Python; these tests hold the
structure that makes it fast: a run imports only what it uses (issue 13 §4, issue 14), and
the table of lazily imported builtins (builtin_modules.py) agrees with the modules.
"""

from __future__ import annotations

import subprocess
import sys

from minishell_run import BASE_ENV

# Slow to import and needed by few runs: the regular-expression engine (and enum, which it
# and `signal` import), the themed builtin modules, the line editor, the tracer.
HEAVY = {"re", "enum", "signal", "resource", "math", "prompt_toolkit", "minishell.trace",
         "minishell.shell.builtins_io", "minishell.shell.builtins_proc",
         "minishell.shell.builtins_test", "minishell.shell.builtins_vars",
         "minishell.shell.builtins_interactive", "minishell.shell.langbuiltins"}


def imported_by(*args: str) -> set[str]:
    """The modules `minishell ARGS` imports beyond what bare Python does."""
    def modules(code: str) -> set[str]:
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                                env=BASE_ENV, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return {line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    run = f"from minishell.shell.cli import main; raise SystemExit(main({list(args)!r}))"
    return modules(run) - modules("pass")


def test_c_true_imports_only_the_core():
    assert imported_by("-c", "true") & HEAVY == set()


def test_a_builtin_imports_its_module_and_no_more():
    assert imported_by("-c", "echo hi >/dev/null") & HEAVY == {"minishell.shell.builtins_io"}
    assert "re" in imported_by("-c", "printf '%d' 3 >/dev/null")


def test_the_lazy_table_names_each_builtin_in_its_module():
    # A fresh interpreter: load each module in turn; its loaders must all be replaced by the
    # real builtins, and no module may define a builtin the table does not list.
    script = """
import minishell.shell.state  # the core: builtins.py
from minishell.shell import builtin_modules
from minishell.shell.builtins_base import BUILTINS
before = set(BUILTINS)
loaders = dict(BUILTINS)
for module, names in builtin_modules.MODULES.items():
    builtin_modules.load(module)
    for name in names:
        assert BUILTINS[name] is not loaders[name], f"{name} is not defined in {module}"
assert set(BUILTINS) == before, f"not in builtin_modules.MODULES: {set(BUILTINS) - before}"
from minishell.shell.builtins import SUMMARIES
assert set(SUMMARIES) == set(BUILTINS), set(BUILTINS) ^ set(SUMMARIES)
"""
    result = subprocess.run([sys.executable, "-c", script], env=BASE_ENV, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_summaries_are_complete_before_any_builtin_ran():
    script = "from minishell.shell.builtins import SUMMARIES; print(SUMMARIES['printf'])"
    result = subprocess.run([sys.executable, "-c", script], env=BASE_ENV, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.startswith("printf FORMAT"), result.stderr


def test_children_get_the_environment_the_shell_was_given(tmp_path):
    # Python adds LC_CTYPE=C.UTF-8 when no locale variable is set (PEP 538); dash's
    # children never see it, and neither may minishell's.
    from minishell_run import MINISHELL
    bare = {"PATH": BASE_ENV["PATH"]}
    for env in (bare, {**bare, "LANG": "C"}, {**bare, "LC_CTYPE": "C.UTF-8"}):
        got, expected = (subprocess.run([*shell, "-c", "env; echo ${LC_CTYPE-unset}"],
                                        cwd=tmp_path, env=env, capture_output=True,
                                        text=True, timeout=60).stdout
                         for shell in (MINISHELL, ["dash"]))
        assert sorted(got.splitlines()) == sorted(expected.splitlines())
