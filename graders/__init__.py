"""minigrade: autograders for the course projects (spec -> runner -> result -> reporters)."""
