"""Files in words: a path names a file (open, stat, mkdir, rename, unlink), and an open
file is read and written at a position (read, write, lseek).

The lines name the file and, the first time a class meets it, what it is (the loader's cache,
a shared library, the locale)."""

from __future__ import annotations

from minishell.trace import constants as C
from minishell.trace.capture import s64
from minishell.trace.explain.words import (
    Call,
    and_list,
    explains,
    fixed,
    path_note,
    plural,
    readable,
)

# The open(2) flags the sentences name, by their values on x86-64.
_FLAG = dict(C.O_FLAGS)
O_EXCL, O_TRUNC, O_APPEND, O_NONBLOCK = (_FLAG[n] for n in
                                         ("O_EXCL", "O_TRUNC", "O_APPEND", "O_NONBLOCK"))
O_DIRECTORY, O_CLOEXEC, O_PATH = _FLAG["O_DIRECTORY"], _FLAG["O_CLOEXEC"], _FLAG["O_PATH"]


def open_purpose(flags: int) -> str:
    """What an open is for: "for writing, creating it if missing and emptying it"."""
    if flags & O_PATH:
        return "as a handle only (O_PATH)"
    access = {0: "for reading", 1: "for writing", 2: "for reading and writing"}.get(
        flags & 3, "")
    extras = []
    if flags & C.O_CREAT:
        extras.append("creating it, which must not exist yet" if flags & O_EXCL else
                      "creating it if missing")
    if flags & O_TRUNC:
        extras.append("emptying it")
    if flags & O_APPEND:
        extras.append("appending")
    return f"{access}, {and_list(extras)}" if extras else access


@explains("open", "openat", "creat", "openat2")
def _open(call: Call):
    path_index = 0 if call.name in ("open", "creat") else 1
    path = call.text(path_index)
    if call.name == "creat":
        flags = 0o1101
    elif call.name == "openat2":
        flags = 0
    else:
        flags = call.args[path_index + 1]
    note = path_note(path)
    if path == "/dev/tty":            # tty(4): only a process with a controlling terminal
        call.failure["ENXIO"] = "this process has no controlling terminal"
    if flags & O_DIRECTORY and not flags & 3:
        action = f"open the directory {path}{note}"
    else:
        action = f"open {path}{note} {open_purpose(flags)}".rstrip()
    if path and not path.startswith("/") and call.name in ("openat", "openat2"):
        dirfd = call.int(0)
        if dirfd != C.AT_FDCWD:
            action += f" (relative to {call.fd(0)})"
    return action, f"it gets fd {call.ret}"


@explains("read", "pread64", "readv", "preadv", "preadv2")
def _read(call: Call):
    where = f" at offset {s64(call.args[3])}" if call.name == "pread64" else ""
    if not call.ok:
        return f"read from {call.fd(0)}{where}", None
    if call.ret == 0:
        return f"read from {call.fd(0)}{where}", "end of file (nothing left)"
    return f"read {plural(call.ret, 'byte')} from {call.fd(0)}{where}", None


@explains("write", "pwrite64", "writev", "pwritev", "pwritev2")
def _write(call: Call):
    if call.name in ("write", "pwrite64"):
        asked = call.args[2]
        action = f"write {plural(asked, 'byte')} to {call.fd(0)}"
    else:
        action = f"write to {call.fd(0)}"
    if call.ok and call.name in ("write", "pwrite64") and call.ret != call.args[2]:
        return action, f"only {call.ret} written"
    return action, None


@explains("lseek")
def _lseek(call: Call):
    offset = s64(call.args[1])
    whence = call.int(2)
    step = f"forward {plural(offset, 'byte')}" if offset >= 0 else (
        f"back {plural(-offset, 'byte')}")
    place = {0: f"to byte {offset}", 1: step,
             2: "to the end" if offset == 0 else f"to {offset} bytes from the end",
             3: f"to the first data at or after byte {offset}",
             4: f"to the first hole at or after byte {offset}"}.get(whence, f"(whence {whence})")
    if whence == 1 and offset == 0:
        return f"ask where in {call.fd(0)} the next read or write happens", (
            f"at byte {call.ret}")
    return f"move the position in {call.fd(0)} {place}", f"now at byte {call.ret}"


def _stat_outcome(call: Call, index: int) -> str | None:
    st = call.cap.get(str(index))
    if not st:
        return None
    kind = {0o100000: "a regular file", 0o40000: "a directory", 0o120000: "a symbolic link",
            0o20000: "a character device", 0o60000: "a block device", 0o10000: "a FIFO",
            0o140000: "a socket"}.get(st["mode"] & C.S_IFMT, "a file")
    size = f", {plural(st['size'], 'byte')}" if kind == "a regular file" else ""
    return f"{kind}{size}, permissions {st['mode'] & 0o7777:03o}"


@explains("stat", "lstat", "newfstatat", "fstat", "statx")
def _stat(call: Call):
    if call.name == "fstat":
        subject, index = call.fd(0), 1
    else:
        path_index = 0 if call.name in ("stat", "lstat") else 1
        subject = call.text(path_index)
        empty_path = subject == "" and call.name in ("newfstatat", "statx")
        subject = call.fd(0) if empty_path else subject + path_note(subject)
        index = {"stat": 1, "lstat": 1, "newfstatat": 2, "statx": 4}[call.name]
    return f"get the type, size, owner and times of {subject}", _stat_outcome(call, index)


@explains("access", "faccessat", "faccessat2")
def _access(call: Call):
    path_index = 0 if call.name == "access" else 1
    mode = call.int(path_index + 1)
    wanted = [word for bit, word in ((4, "read"), (2, "write"), (1, "execute")) if mode & bit]
    path = call.text(path_index)
    if not wanted:
        return f"check whether {path} exists", "yes"
    return f"check whether this process may {and_list(wanted)} {path}", "yes"


@explains("getdents64", "getdents")
def _getdents(call: Call):
    count = call.cap.get("1")
    if call.ok and call.ret == 0:
        return f"list the directory {call.fd(0)}", "no more entries"
    if count is None:
        return f"list the directory {call.fd(0)}", None
    return f"list the directory {call.fd(0)}", f"{count} entr{'y' if count == 1 else 'ies'}"


@explains("mkdir", "mkdirat")
def _mkdir(call: Call):
    path_index = 0 if call.name == "mkdir" else 1
    mode = call.int(path_index + 1) & 0o7777
    return (f"create the directory {call.text(path_index)} (permissions {mode:03o} less the "
            "umask)"), None


@explains("rmdir")
def _rmdir(call: Call):
    return f"remove the empty directory {call.text(0)}", None


@explains("unlink", "unlinkat")
def _unlink(call: Call):
    path_index = 0 if call.name == "unlink" else 1
    if call.name == "unlinkat" and call.args[2] & 0x200:
        return f"remove the empty directory {call.text(1)}", None
    return f"remove the name {call.text(path_index)} (the file goes when unused)", None


@explains("rename", "renameat", "renameat2")
def _rename(call: Call):
    if call.name == "rename":
        return f"rename {call.text(0)} to {call.text(1)}", None
    old, new = call.text(1), call.text(3)
    flags = call.args[4] if call.name == "renameat2" else 0
    if flags & 2:                                   # RENAME_EXCHANGE: both names stay
        return f"swap the files named {old} and {new}", None
    if flags & 1:                                   # RENAME_NOREPLACE
        return f"rename {old} to {new}, unless {new} exists", None
    return f"rename {old} to {new}", None


@explains("link", "linkat", "symlink", "symlinkat")
def _link(call: Call):
    if call.name == "link":
        return f"give {call.text(0)} a second name, {call.text(1)}", None
    if call.name == "linkat":
        return f"give {call.text(1)} a second name, {call.text(3)}", None
    new_index = 1 if call.name == "symlink" else 2
    return f"create the symbolic link {call.text(new_index)} pointing to {call.text(0)}", None


@explains("readlink", "readlinkat")
def _readlink(call: Call):
    path_index = 0 if call.name == "readlink" else 1
    target = call.cap.get(str(path_index + 1))
    call.failure["EINVAL"] = "it is not a symbolic link"     # readlink(2)'s EINVAL
    link = call.text(path_index)
    return (f"read where the symbolic link {link} points" if call.ok else
            f"read where {link} points, if it is a symbolic link",
            readable(target) if target is not None else None)


@explains("chdir")
def _chdir(call: Call):
    return f"change the current directory to {call.text(0)}", None


@explains("fchdir")
def _fchdir(call: Call):
    return f"change the current directory to {call.fd(0)}", None


@explains("getcwd")
def _getcwd(call: Call):
    cwd = call.cap.get("0")
    return "ask for the current directory", readable(cwd) if cwd is not None else None


@explains("chmod", "fchmod", "fchmodat", "fchmodat2")
def _chmod(call: Call):
    if call.name == "fchmod":
        return f"set the permissions of {call.fd(0)} to {call.int(1) & 0o7777:03o}", None
    path_index = 0 if call.name == "chmod" else 1
    mode = call.int(path_index + 1) & 0o7777
    return f"set the permissions of {call.text(path_index)} to {mode:03o}", None


@explains("chown", "lchown", "fchown", "fchownat")
def _chown(call: Call):
    subject = call.fd(0) if call.name == "fchown" else call.text(
        1 if call.name == "fchownat" else 0)
    first = 2 if call.name == "fchownat" else 1
    uid, gid = call.int(first), call.int(first + 1)   # -1: leave that one unchanged
    if uid == -1 and gid == -1:
        return f"change nothing about {subject} (owner and group both -1)", None
    if uid == -1:
        return f"give {subject} the group {gid}", None
    return f"make {subject} owned by user {uid}" + (f" and group {gid}" if gid != -1 else ""), None


@explains("truncate", "ftruncate")
def _truncate(call: Call):
    subject = call.fd(0) if call.name == "ftruncate" else call.text(0)
    return f"set the size of {subject} to {plural(s64(call.args[1]), 'byte')}", None


@explains("fsync", "fdatasync")
def _fsync(call: Call):
    return f"wait until the data written to {call.fd(0)} is on the disk", None


@explains("utimensat")
def _utimensat(call: Call):
    # utimensat(dirfd, NULL, ...) is futimens(fd): the fd's own file.
    subject = call.text(1) if call.args[1] else call.fd(0)
    when = "" if call.args[2] else " to now"
    return f"set the access and modification times of {subject}{when}", None


@explains("statfs", "fstatfs")
def _statfs(call: Call):
    subject = call.fd(0) if call.name == "fstatfs" else call.text(0)
    return f"get information about the file system holding {subject}", None


@explains("getxattr", "lgetxattr", "fgetxattr")
def _getxattr(call: Call):
    subject = call.fd(0) if call.name == "fgetxattr" else call.text(0)
    return f"read the extended attribute {call.string(1)} of {subject}", None


@explains("chroot")
def _chroot(call: Call):
    return f"make {call.text(0)} this process's root directory", None


@explains("mount")
def _mount(call: Call):
    return f"mount a file system on {call.text(1)}", None


@explains("umount2")
def _umount(call: Call):
    return f"unmount the file system on {call.text(0)}", None


@explains("fadvise64")
def _fadvise(call: Call):
    advice = {0: "will be read normally", 1: "will be read in random order",
              2: "will be read from start to end", 3: "will be needed soon",
              4: "will not be needed again"}.get(call.int(3), "will be used in some way")
    call.failure["ESPIPE"] = "it is a pipe, not a file"      # posix_fadvise(2)'s ESPIPE
    return f"tell the kernel that {call.fd(0)} {advice}", None


# File-system calls whose words do not depend on the values.
fixed({
    "sync": "write all changed file data to the disks",
    "syncfs": "write the changed data of one file system to its disk",
    "listxattr": "list the extended attributes of a file",
    "llistxattr": "list the extended attributes of a file",
    "flistxattr": "list the extended attributes of a file",
    "readahead": "read part of a file into the page cache ahead of use",
    "fallocate": "reserve or release disk space for a file",
})
