"""Lesson 9 quiz: how many frames does a receive ring deliver, given how the driver refills it?

The model (demos/ring.c, a card and a driver sharing a ring): the card may fill descriptors
up to, not including, the tail; the driver gives cleaned ones back every BATCH of them. A
ring of N descriptors holds at most N - 1 uncleaned frames, so a batch of N - 1 or less
keeps frames flowing for ever, and a larger batch -- or no refill at all -- stops the ring
after N - 1 frames: the driver waits for a batch that can never fill.
"""

from lessons.catalog import get
from lessons.quizzes import Claim, Question, compiled, rng, run

SOURCE = get("nic").path / "demos" / "ring.c"


def received(frames: int, ring: int, batch: int | None) -> int:
    """Frames through: all of them, or one ring's worth minus one when it stalls."""
    return frames if batch is not None and batch <= ring - 1 else min(frames, ring - 1)


def observe_ring(where, *args: str) -> int:
    binary = compiled(where, "ring.c")
    out = run([binary, *args], where, check=False).stdout
    return int(out.split()[1])  # "received X of N frames, ..."


def generate(seed: int) -> Question:
    r = rng(seed)
    ring = r.choice([4, 8, 16, 32])
    frames = r.choice([100, 500, 1000])
    batch = r.choice([1, 2, ring // 2, ring - 1, ring, ring + 2, None])
    how = "norefill" if batch is None else str(batch)
    answer = str(received(frames, ring, batch))

    def observe(where) -> str:
        return str(observe_ring(where, str(frames), str(ring), how))

    def one_ring_minus_one(where) -> str | None:
        """Without refill, a ring of N descriptors delivers N - 1 frames."""
        got = observe_ring(where, "100", str(ring), "norefill")
        return None if got == ring - 1 else \
            f"./ring 100 {ring} norefill delivered {got} frames, not {ring - 1}"

    return Question(
        seed=seed, filename="commands.sh", program=f"./ring {frames} {ring} {how}\n",
        files={"ring.c": SOURCE.read_text()},
        ask=f"`ring.c` plays a network card and its driver sharing a ring of {ring} "
            f"descriptors; the driver gives cleaned descriptors back to the card "
            + ("never" if batch is None else f"every {batch} of them") +
            f". Of the {frames} frames the card has to deliver, how many does the driver "
            "receive (the X of `received X of N frames`)?",
        answer=answer,
        why="The card may fill descriptors up to the tail, never onto it: head == tail "
            "would mean an empty ring. A ring of N descriptors holds at most N - 1 frames "
            "nobody cleaned. A driver that gives descriptors back in batches of N - 1 or "
            "fewer keeps the card supplied; with a larger batch (or none) the card stops "
            "after N - 1 frames, waiting for a descriptor, while the driver waits for a "
            "batch that can never fill.",
        observe=observe,
        trace=None,
        claims=[Claim("A ring of N descriptors holds at most N - 1 frames nobody cleaned",
                      one_ring_minus_one)],
    )
