"""tests/term_form.py - a string in terminal form as reports/escape.h
describes it, written here apart from relgate's C: LF, CR and TAB as
\\n \\r \\t, other C0 controls and DEL as \\xNN, C1 controls, the line
separators and the bidirectional marks and overrides as \\uNNNN. Characters
in keep stay as they are (a GitHub annotation keeps CR and LF for its own
%0D %0A). Tests import it with sys.path.insert(0, ROOT + "/tests").
"""


def term(s, keep=""):
    out = []
    for ch in s:
        c = ord(ch)
        if ch in keep:
            out.append(ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif c < 0x20 or c == 0x7f:
            out.append("\\x%02x" % c)
        elif 0x80 <= c <= 0x9f or c in (0x2028, 0x2029, 0x200e, 0x200f, 0x61c) or 0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069:
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    return "".join(out)
