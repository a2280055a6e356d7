"""The sys_pfstat kernel project: statement, tester, kernel build, QEMU runner, grader."""
