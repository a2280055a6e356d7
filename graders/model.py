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
    error: str | None = None  # set when the grader could not grade at all

    @property
    def score(self) -> float:
        return round(sum(r.points for r in self.results), 4)

    @property
    def max_score(self) -> float:
        return round(sum(r.max_points for r in self.results), 4)

    @property
    def passed(self) -> bool:
        return self.error is None and all(r.passed for r in self.results)

    def to_dict(self) -> dict:
        return {
            "project": self.project,
            "submission": self.submission,
            "isolation": self.isolation,
            "duration": self.duration,
            "error": self.error,
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
        )
