"""Memory in words: a process's address space is made of mappings (mmap) of files or of
fresh zeroed memory, each readable, writable or executable (mprotect); the heap grows with brk."""

from __future__ import annotations

from minishell.trace.explain.words import (
    Call,
    explains,
    fixed,
    plural,
)


def protection_words(prot: int) -> str:
    words = [word for bit, word in ((1, "readable"), (2, "writable"), (4, "executable"))
             if prot & bit]
    if not words:
        return "inaccessible (a guard area)"
    text = " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]
    return text + " (program code)" if prot & 4 else text


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


@explains("madvise")
def _madvise(call: Call):
    return f"advise the kernel how {plural(call.args[1], 'byte')} of memory will be used", None


@explains("mlock", "mlock2", "munlock", "mlockall", "munlockall")
def _mlock(call: Call):
    verb = "unlock" if call.name.startswith("mun") else "lock"
    return f"{verb} memory {'out of' if verb == 'unlock' else 'into'} RAM (no swapping)", None


# Memory calls whose words do not depend on the values.
fixed({
    "msync": "write changed pages of a file mapping back to the file",
})
