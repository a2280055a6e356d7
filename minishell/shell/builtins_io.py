"""Builtins that move bytes: `echo`, `printf` and `read`.

OS idea: a file descriptor carries bytes, not text. `printf '\\101'` writes the byte 0x41,
`%c` writes the first byte of its argument, and `read` takes its line from fd 0 one byte
at a time with read(2): a buffered read would swallow input that belongs to the next
command (`{ read a; cat; } < file` must leave the rest of the file for cat). So these
builtins work on bytes and write them with write(2).
"""

from __future__ import annotations

import os
import sys

from .builtins_base import BuiltinError, builtin, options, out_bytes, strtoimax, to_bytes
from .explain import error
from .lexer import is_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

SIMPLE_ESCAPES = {ord("\\"): b"\\", ord("a"): b"\a", ord("b"): b"\b", ord("e"): b"\033",
                  ord("f"): b"\f", ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t",
                  ord("v"): b"\v"}
OCTAL = b"01234567"


def escape(data: bytes, i: int) -> tuple[bytes, int]:
    """dash's conv_escape(): the backslash sequence starting at data[i] (just after the
    backslash). Returns (the bytes it stands for, the index after it)."""
    if i >= len(data):
        return b"\\", i
    ch = data[i]
    if ch in SIMPLE_ESCAPES:
        return SIMPLE_ESCAPES[ch], i + 1
    if ch in OCTAL:
        end = i
        while end < len(data) and end - i < 3 and data[end] in OCTAL:
            end += 1
        return bytes([int(data[i:end], 8) & 0xFF]), end
    return b"\\", i  # not an escape: the backslash stands for itself


def expand_escapes(data: bytes) -> tuple[bytes, bool]:
    """echo's and printf %b's escapes (dash's conv_escape_str): as in a format, plus
    `\\0NNN` (up to three octal digits after the 0) and `\\c`, which ends all output.
    Returns (bytes, stopped by \\c)."""
    result = bytearray()
    i = 0
    while True:
        j = data.find(b"\\", i)
        if j < 0:
            result += data[i:]
            return bytes(result), False
        result += data[i:j]
        i = j + 1
        if data[i:i + 1] == b"c":
            return bytes(result), True
        if data[i:i + 1] == b"0" and data[i + 1:i + 2] in (b"0", b"1", b"2", b"3", b"4",
                                                           b"5", b"6", b"7"):
            i += 1
        piece, i = escape(data, i)
        result += piece


# --- echo ------------------------------------------------------------------------------


@builtin("echo", summary="echo [-n] ARG...: print the arguments; \\n, \\t, \\0NNN, \\c work "
                          "(dash's echo)")
def echo(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    newline = b"\n"
    if args and args[0] == "-n":  # dash knows no other option: `echo -e x` prints "-e x"
        newline = b""
        args = args[1:]
    text, stopped = expand_escapes(to_bytes(" ".join(args)))
    try:
        out_bytes(text if stopped else text + newline)
    except OSError:
        error("echo: I/O error")
        return 1
    return 0


# --- printf ----------------------------------------------------------------------------

# %[flags][width][.precision]conversion, with * for width or precision. The patterns are
# compiled at first use (re.compile caches them): only printf needs `re`, slow to import.
DIRECTIVE = rb"%([-+ #0]*)(\*|[0-9]*)(?:\.(\*|[0-9]*))?(.?)"
FLOAT_PREFIX = (
    r"[ \t\n\v\f\r]*[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
    r"(?:[pP][+-]?[0-9]+)?|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])")


class Printf:
    """One run of printf: the arguments still to use and the status so far."""

    def __init__(self, args: list[str]):
        self.args = args
        self.used = 0
        self.status = 0

    def next_arg(self) -> str | None:
        if self.used >= len(self.args):
            return None
        self.used += 1
        return self.args[self.used - 1]

    def warn(self, message: str) -> None:
        error(f"printf: {message}")
        self.status = 1

    def integer(self, signed: bool) -> int:
        """dash's getuintmax(): 'c or "c gives the character's code; else strtoimax with
        base 0 (0x1f, 077), warning about what was not a number."""
        text = self.next_arg()
        if text is None:
            return 0
        data = to_bytes(text)
        if data[:1] in (b"'", b'"'):
            return data[1] if len(data) > 1 else 0
        value, used, overflow = strtoimax(text, 0, unsigned=not signed)
        self.check(text, used, overflow)
        return value or 0

    def floating(self) -> float:
        import math  # math and re at first use: only printf needs them (start-up time)
        import re
        text = self.next_arg()
        if text is None:
            return 0.0
        data = to_bytes(text)
        if data[:1] in (b"'", b'"'):
            return float(data[1] if len(data) > 1 else 0)
        match = re.match(FLOAT_PREFIX, text)
        if not match:
            self.check(text, 0, False)
            return 0.0
        number = match.group().strip()
        value = float.fromhex(number) if "x" in number.lower() else float(number)
        # strtod's ERANGE: a finite number too big (inf) or too small (subnormal, or 0 from
        # nonzero digits) for a double.
        # (A hex number is exact: only overflow counts.)
        finite = number.lstrip("+-")[:1] not in ("i", "I", "n", "N")
        decimal = finite and "x" not in number.lower()
        digits = number.lower().split("e")[0] if decimal else ""
        tiny = decimal and (0 < abs(value) < sys.float_info.min or (
            value == 0 and any(ch in "123456789" for ch in digits)))
        out_of_range = finite and (math.isinf(value) or tiny)
        self.check(text, match.end(), out_of_range)
        return value

    def check(self, text: str, used: int, overflow: bool) -> None:
        """dash's check_conversion(): the argument must be a number, all of it."""
        if used < len(text):
            self.warn(f"{text}: " + ("expected numeric value" if used == 0
                                     else "not completely converted"))
        elif overflow:
            self.warn(f"{text}: Numerical result out of range")


@builtin("printf", summary="printf FORMAT [ARG...]: formatted output (%s %d %x %c %b %f...); "
                            "the format is reused while arguments remain")
def printf(shell: Shell, argv: list[str]) -> int:
    args = options(argv, "")[1]  # dash: `printf -x` is an unknown option, `--` ends them
    if not args:
        raise BuiltinError("usage: printf format [arg ...]")
    fmt = to_bytes(args[0])
    run = Printf(args[1:])
    output = bytearray()
    try:
        while True:
            if format_once(fmt, run, output):
                break  # \c in a %b argument: stop everything
            if run.used == 0 or run.used >= len(run.args):
                break
    finally:
        out_bytes(bytes(output))  # what was formatted before an error is written, as dash
    return run.status


def format_once(fmt: bytes, run: Printf, output: bytearray) -> bool:
    """One pass over the format; True if a %b argument's \\c ended the output."""
    import re  # at first use: only printf needs it (start-up time)
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == 0x5C:  # backslash
            piece, i = escape(fmt, i + 1)
            output += piece
            continue
        if ch != 0x25:  # not %
            j = i + 1
            while j < len(fmt) and fmt[j] not in (0x25, 0x5C):
                j += 1
            output += fmt[i:j]
            i = j
            continue
        if fmt[i + 1:i + 2] == b"%":
            output += b"%"
            i += 2
            continue
        match = re.compile(DIRECTIVE, re.DOTALL).match(fmt, i)
        flags, width, precision, conversion = match.groups()
        if not conversion:
            raise BuiltinError("missing format character")
        if conversion not in b"bcsdiouxXaAeEfFgG":
            raise BuiltinError(f"{match.group().decode('utf-8', 'surrogateescape')}: "
                               "invalid directive")
        if width == b"*":
            width = b"%d" % run.integer(True)
        if precision == b"*":
            precision = b"%d" % run.integer(True)
        spec = b"%" + flags + width + (b"." + precision if precision is not None else b"")
        if conversion_bytes(run, spec, conversion, output):
            return True
        i = match.end()
    return False


def conversion_bytes(run: Printf, spec: bytes, conversion: bytes, output: bytearray) -> bool:
    """Format one argument per `spec` + `conversion` onto output; True after %b's \\c."""
    if conversion == b"b":
        text, stopped = expand_escapes(to_bytes(run.next_arg() or ""))
        output += spec_apply(spec + b"s", text)
        return stopped
    if conversion == b"s":
        output += spec_apply(spec + b"s", to_bytes(run.next_arg() or ""))
    elif conversion == b"c":
        arg = to_bytes(run.next_arg() or "")
        output += spec_apply(spec + b"c", arg[0] if arg else 0)
    elif conversion in b"di":
        output += c_integer(spec, b"d", run.integer(True))
    elif conversion in b"ouxX":
        value = run.integer(False)
        output += c_integer(spec, conversion, value)
    else:
        output += c_float(spec, conversion, run.floating())
    return False


def spec_apply(spec: bytes, value) -> bytes:
    try:
        return spec % value
    except (ValueError, OverflowError, MemoryError):
        raise BuiltinError("invalid directive") from None


def c_integer(spec: bytes, conversion: bytes, value: int) -> bytes:
    """C's printf for integers (Python's % differs: `%#x` of 0 is 0 in C, `%.0d` of 0 is
    nothing, and the 0 flag is ignored when a precision is given)."""
    flags, rest = split_spec(spec)
    width_text, point, precision_text = rest.partition(b".")
    width = int(width_text or b"0")
    precision = int(precision_text or b"0") if point else None
    base = {b"o": 8, b"x": 16, b"X": 16}.get(conversion, 10)
    digits = "" if value == 0 and precision == 0 else \
        format(abs(value), {8: "o", 16: "x", 10: "d"}[base])
    if precision is not None:
        digits = digits.rjust(precision, "0")
    prefix = ""
    if b"#" in flags:
        if base == 8 and not digits.startswith("0"):
            digits = "0" + digits
        elif base == 16 and value != 0:
            prefix = "0x"
    if value < 0:
        prefix = "-" + prefix
    elif conversion == b"d":  # signed conversions only (%i arrives here as d)
        prefix = ("+" if b"+" in flags else " " if b" " in flags else "") + prefix
    if b"-" in flags:
        text = (prefix + digits).ljust(width)
    elif b"0" in flags and precision is None:
        text = prefix + digits.rjust(width - len(prefix), "0")
    else:
        text = (prefix + digits).rjust(width)
    return (text.upper() if conversion == b"X" else text).encode()


def c_float(spec: bytes, conversion: bytes, value: float) -> bytes:
    import math  # at first use: only printf needs it (start-up time)
    if conversion in b"aA":
        return c_hexfloat(spec, conversion == b"A", value)
    if not math.isfinite(value):  # C pads inf and nan with blanks, even with the 0 flag
        flags, rest = split_spec(spec)
        spec = b"%" + flags.replace(b"0", b"") + rest
    return spec_apply(spec + conversion, value)


def split_spec(spec: bytes) -> tuple[bytes, bytes]:
    """`%-05.2` -> (b"-0", b"5.2"): the flags, then width and precision."""
    body = spec[1:]
    flags = body[:len(body) - len(body.lstrip(b"-+ #0"))]
    return flags, body[len(flags):]


def c_hexfloat(spec: bytes, upper: bool, value: float) -> bytes:
    """C's %a: the double's own bits, 0x1.<13 hex digits>p<binary exponent> (glibc's form,
    also for zero and subnormals), rounded to the precision if one is given."""
    import math  # at first use: only printf needs it (start-up time)
    flags, rest = split_spec(spec)
    width_text, point, precision_text = rest.partition(b".")
    precision = int(precision_text or b"0") if point else None
    width = int(width_text or b"0")
    sign = "-" if math.copysign(1.0, value) < 0 else ("+" if b"+" in flags else
                                                      " " if b" " in flags else "")
    magnitude = abs(value)
    if math.isinf(magnitude) or math.isnan(magnitude):
        body, prefix = ("inf" if math.isinf(magnitude) else "nan"), ""
    else:
        if magnitude == 0:
            lead, fraction, exponent = 0, 0, 0
        elif magnitude < sys.float_info.min:  # subnormal: 0x0.<digits>p-1022
            lead, fraction, exponent = 0, int(math.ldexp(magnitude, 1074)), -1022
        else:
            mantissa, exponent = math.frexp(magnitude)  # magnitude = mantissa * 2**exponent
            lead, fraction, exponent = 1, int((mantissa * 2 - 1) * 2**52), exponent - 1
        digits = f"{fraction:013x}"
        if precision is None:
            digits = digits.rstrip("0")
        elif precision < 13:
            shift = 4 * (13 - precision)
            kept, rest = divmod(fraction, 1 << shift)
            half = 1 << (shift - 1)
            last = kept if precision else lead
            if rest > half or (rest == half and last & 1):  # to nearest, ties to even
                kept += 1
            if kept >> (4 * precision):
                lead, kept = lead + 1, 0
            digits = f"{kept:0{precision}x}" if precision else ""
        else:
            digits += "0" * (precision - 13)
        point = "." if digits or b"#" in flags else ""
        body, prefix = f"{lead:x}{point}{digits}p{exponent:+d}", "0x"
    if b"-" in flags:
        text = (sign + prefix + body).ljust(width)
    elif b"0" in flags and prefix:
        text = sign + prefix + body.rjust(width - len(sign) - len(prefix), "0")
    else:
        text = (sign + prefix + body).rjust(width)
    return (text.upper() if upper else text).encode()


# --- read ------------------------------------------------------------------------------


@builtin("read", summary="read [-r] [-p PROMPT] NAME...: read a line of standard input and "
                          "split it into variables at $IFS")
def read(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    raw, prompt = False, None
    while args and args[0].startswith("-") and args[0] != "-":
        word = args.pop(0)
        if word == "--":
            break
        letters = word[1:]
        while letters:
            letter, letters = letters[0], letters[1:]
            if letter == "r":
                raw = True
            elif letter == "p":
                if not letters:
                    if not args:
                        raise BuiltinError("No arg for -p option")
                    letters = args.pop(0)
                prompt, letters = letters, ""
            else:
                raise BuiltinError(f"Illegal option -{letter}")
    if not args:
        raise BuiltinError("arg count")
    for name in args:
        if not is_name(name):
            raise BuiltinError(f"{name}: bad variable name")
    if prompt is not None and os.isatty(0):
        os.write(2, to_bytes(prompt))
    chars, complete = read_line(raw)
    fields = split_fields(chars, shell.vars.get("IFS", " \t\n"), len(args))
    for index, name in enumerate(args):
        value = fields[index] if index < len(fields) else ""
        if name in getattr(shell, "readonly", ()):
            raise BuiltinError(f"{name}: is read only")
        shell.set_var(name, value)
    return 0 if complete else 1


def read_line(raw: bool) -> tuple[list[tuple[str, bool]], bool]:
    """One line from fd 0, a byte at a time, as (character, escaped) pairs: a backslash
    protects the next character from IFS splitting, and backslash-newline continues the
    line (unless -r). NUL bytes are dropped, as dash does: a C string cannot hold them.
    Returns (characters, saw the newline)."""
    data = bytearray()
    escaped: list[bool] = []
    backslash = False
    complete = False
    while True:
        byte = read_byte()
        if byte is None:
            break
        if byte == 0:
            continue
        if backslash:
            backslash = False
            if byte != 0x0A:
                data.append(byte)
                escaped.append(True)
            continue
        if byte == 0x5C and not raw:
            backslash = True
            continue
        if byte == 0x0A:
            complete = True
            break
        data.append(byte)
        escaped.append(False)
    return decode_marked(bytes(data), escaped), complete


def read_byte() -> int | None:
    """read(0, buf, 1); None at end of file. A signal (EINTR) retries (PEP 475)."""
    try:
        byte = os.read(0, 1)
    except OSError as err:
        raise BuiltinError(err.strerror) from None
    return byte[0] if byte else None


def decode_marked(data: bytes, escaped: list[bool]) -> list[tuple[str, bool]]:
    """Bytes -> characters (undecodable bytes survive, surrogateescape), each keeping its
    `escaped` mark (a multibyte character takes the mark of its first byte)."""
    text = data.decode("utf-8", "surrogateescape")
    result: list[tuple[str, bool]] = []
    offset = 0
    for ch in text:
        result.append((ch, escaped[offset]))
        offset += len(ch.encode("utf-8", "surrogateescape"))
    return result


def split_fields(chars: list[tuple[str, bool]], ifs: str, count: int) -> list[str]:
    """Field splitting for read (dash's ifsbreakup with a maximum): IFS white space around
    fields is dropped, each other IFS character ends one field; the last name gets the rest
    of the line, without trailing IFS white space. Escaped characters never split."""
    white = {ch for ch in ifs if ch in " \t\n"}
    fields: list[str] = []
    i, n = 0, len(chars)
    while i < n and chars[i][0] in white and not chars[i][1]:
        i += 1
    while i < n:
        if len(fields) == count - 1:
            end = n
            while end > i and chars[end - 1][0] in white and not chars[end - 1][1]:
                end -= 1
            fields.append(last_field(chars[i:end], ifs, white))
            return fields
        start = i
        while i < n and (chars[i][1] or chars[i][0] not in ifs):
            i += 1
        fields.append("".join(ch for ch, _ in chars[start:i]))
        if i >= n:
            break
        # one delimiter: white space, then at most one other IFS character, then white space
        while i < n and chars[i][0] in white and not chars[i][1]:
            i += 1
        if i < n and chars[i][0] in ifs and chars[i][0] not in white and not chars[i][1]:
            i += 1
            while i < n and chars[i][0] in white and not chars[i][1]:
                i += 1
    return fields


def last_field(chars: list[tuple[str, bool]], ifs: str, white: set[str]) -> str:
    """The rest of the line for the last name. POSIX: if it is one field and then one
    delimiter (`b:` with IFS=:), the delimiter goes; `b::` or `b:c:` stay as they are."""
    i, n = 0, len(chars)
    while i < n and (chars[i][1] or chars[i][0] not in ifs):
        i += 1
    end = i
    while i < n and chars[i][0] in white and not chars[i][1]:
        i += 1
    if i < n and chars[i][0] in ifs and chars[i][0] not in white:
        i += 1
        while i < n and chars[i][0] in white and not chars[i][1]:
            i += 1
        if i == n:
            chars = chars[:end]
    return "".join(ch for ch, _ in chars)
