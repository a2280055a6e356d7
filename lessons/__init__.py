"""The course: eight lessons, their demos, quizzes and self-checking exercises."""
