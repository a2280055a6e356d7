"""Memory in words: a process's address space is made of mappings (mmap) of files or of
fresh zeroed memory, each readable, writable or executable (mprotect); the heap grows with brk."""

from __future__ import annotations

from minishell.trace.explain.words import (
    Call,
    and_list,
    explains,
    fixed,
    plural,
)


def protection_words(prot: int) -> str:
    words = [word for bit, word in ((1, "readable"), (2, "writable"), (4, "executable"))
             if prot & bit]
    if not words:
        return "inaccessible (reserved, or a guard area)"
    return and_list(words) + (" (program code)" if prot & 4 else "")


@explains("mmap")
def _mmap(call: Call):
    length, prot, flags = call.args[1], call.args[2], call.args[3]
    what = plural(length, "byte")
    if flags & 0x20:   # MAP_ANONYMOUS
        subject = f"map {what} of memory"
    else:
        offset = call.args[5]
        at = f" from offset {offset:#x}" if offset else ""
        subject = f"map {what} of {call.fd(4)}{at}"
    shared = ", shared with other processes" if flags & 0xF == 1 else ""
    where = call.ret & 0xFFFFFFFFFFFFFFFF if call.ret is not None else None
    return (f"{subject}, {protection_words(prot)}{shared}",
            f"at {where:#x}" if where is not None else None)


@explains("munmap")
def _munmap(call: Call):
    return f"unmap {plural(call.args[1], 'byte')} of memory at {call.args[0]:#x}", None


@explains("mprotect", "pkey_mprotect")
def _mprotect(call: Call):
    return (f"make {plural(call.args[1], 'byte')} at {call.args[0]:#x} "
            f"{protection_words(call.args[2])}", None)


@explains("brk")
def _brk(call: Call):
    if call.args[0] == 0:
        return "ask where the heap ends", f"at {call.ret:#x}" if call.ret is not None else None
    return f"move the end of the heap to {call.args[0]:#x}", (
        f"now at {call.ret:#x}" if call.ret is not None else None)


@explains("mremap")
def _mremap(call: Call):
    return (f"resize the mapping at {call.args[0]:#x} from {plural(call.args[1], 'byte')} "
            f"to {plural(call.args[2], 'byte')}", None)


# madvise(2)'s common advice ({} is the memory range).
MADVICE = {
    0: "tell the kernel {} will be used normally",
    1: "tell the kernel {} will be used in random order (read ahead less)",
    2: "tell the kernel {} will be used from start to end (read ahead more)",
    3: "tell the kernel {} will be needed soon (read it in now)",
    4: "discard the pages of {} (private memory comes back as zeros)",
    8: "let the kernel free {} when memory is short",
    10: "do not copy {} into children made by fork",
    14: "ask for huge pages for {}",
    15: "ask for no huge pages for {}",
    18: "make {} read as zeros in children made by fork",
}


@explains("madvise")
def _madvise(call: Call):
    what = f"{plural(call.args[1], 'byte')} of memory at {call.args[0]:#x}"
    advice = MADVICE.get(call.int(2))
    if advice is None:
        return f"advise the kernel how {what} will be used", None
    return advice.format(what), None


@explains("mlock", "mlock2", "munlock", "mlockall", "munlockall")
def _mlock(call: Call):
    verb = "unlock" if call.name.startswith("mun") else "lock"
    return f"{verb} memory {'out of' if verb == 'unlock' else 'into'} RAM (no swapping)", None


# Memory calls whose words do not depend on the values.
fixed({
    "msync": "write changed pages of a file mapping back to the file",
})
