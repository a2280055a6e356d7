"""Where courses grade: Gradescope, PrairieLearn, GitHub Classroom.

Each platform runs our grader in a container of its own and reads its results from a
file of its own. A module per platform writes the bundle that platform expects
(`minigrade export PROJECT --for NAME`); the verdicts are the same everywhere because
every bundle carries the toolkit's own source and runs the same `minigrade`.
"""
