"""The grading result model: what a grader found, independent of how it is shown.

Data flows one way: spec -> runner -> result -> reporters. Every reporter (terminal,
Gradescope, PrairieLearn, JUnit) is a pure function of a `Report`, so a course can add a
format without touching the engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """Why a test ended. Kept distinct because each asks the student for a different fix."""

    PASSED = "passed"
    FAILED = "failed"  # the program answered, but not what was expected
    TIMEOUT = "timeout"  # the program never produced what we waited for
    CRASHED = "crashed"  # the program died from a signal
    ERROR = "error"  # the grader itself failed: not the student's fault
    SKIPPED = "skipped"  # could not be checked here (a tool is missing); counts for nothing


@dataclass
class TestResult:
    name: str
    max_points: float
    points: float
    outcome: Outcome
    reason: str = ""  # one sentence a student can act on
    feedback: str = ""  # input sent, diff with visible whitespace, transcript tail
    visibility: str = "visible"  # or "hidden" (Gradescope: hidden / after_due_date ...)
    duration: float = 0.0
    transcript: str | None = None  # path of the full saved transcript
    tags: list[str] = field(default_factory=list)
    # Seconds spent in each phase of the test ("setup", "start-up", "steps", "teardown"):
    # where a slow grading's time went.
    timings: dict[str, float] = field(default_factory=dict)

    __test__ = False  # not a pytest class, despite the name

    @property
    def passed(self) -> bool:
        return self.outcome in (Outcome.PASSED, Outcome.SKIPPED)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["outcome"] = str(self.outcome)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> TestResult:
        return cls(**{**d, "outcome": Outcome(d["outcome"])})


@dataclass
class Report:
    project: str
    submission: str
    results: list[TestResult]
    isolation: str = "none"
    duration: float = 0.0
    # Two reasons a submission may end with no test run, kept apart because they are
    # different people's failures:
    # - `error`: the toolkit's own machinery failed (the sandbox, a build tool, QEMU): the
    #   grader's error, never the student's. Every test is marked ERROR, exit status 2,
    #   PrairieLearn `gradable: false` (the attempt is not counted).
    # - `submission_error`: the student's submission could not be built or started (a
    #   compiler error, no program in the folder). Every test FAILED with 0 points and
    #   this text (the first compiler errors) as feedback, exit status 1.
    error: str | None = None
    submission_error: str | None = None

    @property
    def score(self) -> float:
        return round(sum(r.points for r in self.results), 4)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_points for r in self.results), 4)

    @property
    def passed(self) -> bool:
        return (self.error is None and self.submission_error is None
                and all(r.passed for r in self.results))

    @property
    def headline(self) -> str | None:
        """One line saying why nothing was graded, naming whose failure it is."""
        if self.error:
            return f"grader error: {self.error.strip().splitlines()[0]}"
        if self.submission_error:
            return f"submission failed: {self.submission_error.strip().splitlines()[0]}"
        return None

    def to_dict(self) -> dict:
        return {
            "project": self.project,
            "submission": self.submission,
            "isolation": self.isolation,
            "duration": self.duration,
            "error": self.error,
            "submission_error": self.submission_error,
            "score": self.score,
            "max_score": self.max_score,
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        return cls(
            project=d["project"],
            submission=d["submission"],
            results=[TestResult.from_dict(r) for r in d["results"]],
            isolation=d.get("isolation", "none"),
            duration=d.get("duration", 0.0),
            error=d.get("error"),
            submission_error=d.get("submission_error"),
        )
