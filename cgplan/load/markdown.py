"""Markdown to a small section/block tree, via pulldown-cmark (CommonMark, Rust core, through pyromark).

The loaders never look at raw bytes: they walk this tree. A document becomes a
:class:`Section` tree (one node per heading), each holding the blocks written
under its heading: paragraphs split into logical :class:`Line` objects,
lists of :class:`Item`, fenced code, tables and block quotes. HTML comments are
dropped; other raw HTML blocks (``<details>``) are unwrapped and their text
parsed as Markdown, so content inside them still counts.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from html.entities import html5 as _html5
from pathlib import Path

import pyromark

from cgplan.errors import InputError

#: Largest document read, in bytes.
MAX_BYTES = 64 * 1024 * 1024
#: Deepest block nesting (lists, quotes) accepted in one line's prefix.
MAX_NESTING = 64
#: Widest leading indentation accepted, in columns.
MAX_INDENT = 1024

_CHECK_RE = re.compile(r"^\[([ xX])\]\s+")


@dataclass(slots=True)
class Seg:
    """A run of inline text with its emphasis."""

    text: str
    """The plain characters."""
    strong: bool = False
    """Inside ``**bold**``."""
    code: bool = False
    """Inside ``code`` backticks."""


@dataclass(slots=True)
class Line:
    """One logical line of inline content (a paragraph is split at line breaks)."""

    segs: list[Seg]
    """The inline runs in order."""
    line: int
    """1-based source line."""
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """Plain text, markup removed, whitespace collapsed (computed once: segs are not changed after)."""
        t = self._text
        if t is None:
            t = self._text = " ".join("".join([s.text for s in self.segs]).split())
        return t


@dataclass(slots=True)
class Block:
    """A block under a heading."""

    kind: str
    """``para``, ``list``, ``fence``, ``table``, ``quote`` or ``html``."""
    line: int
    """1-based source line of its first line."""
    lines: list[Line] = field(default_factory=list)
    """For ``para``: the logical lines."""
    items: list[Item] = field(default_factory=list)
    """For ``list``: the items."""
    ordered: bool = False
    """For ``list``: a numbered list."""
    text: str = ""
    """For ``fence``/``html``: the raw content."""
    info: str = ""
    """For ``fence``: the info string (language)."""
    rows: list[list[str]] = field(default_factory=list)
    """For ``table``: plain-text cells, header row first."""
    blocks: list[Block] = field(default_factory=list)
    """For ``quote``: the quoted blocks."""

    def plain(self) -> str:
        """The block as plain text (lines joined by spaces)."""
        if self.kind == "para":
            return clean(" ".join(ln.text for ln in self.lines))
        if self.kind == "list":
            return clean(" ".join(i.text for i in self.items))
        if self.kind == "quote":
            return clean(" ".join(b.plain() for b in self.blocks))
        if self.kind == "table":
            return clean(" ".join(" ".join(r) for r in self.rows))
        return self.text.strip()


@dataclass(slots=True)
class Item:
    """One list item."""

    line: int
    """1-based source line."""
    lines: list[Line]
    """Logical lines of the item's first paragraph (checkbox removed)."""
    blocks: list[Block]
    """Everything after the first paragraph: sub-lists, more paragraphs, code."""
    checked: bool | None = None
    """``True``/``False`` for ``[x]``/``[ ]`` checkboxes, ``None`` for a plain item."""

    @property
    def text(self) -> str:
        """Plain text of the first paragraph."""
        lines = self.lines
        if len(lines) == 1:
            return lines[0].text
        return clean(" ".join([ln.text for ln in lines]))

    @property
    def first(self) -> Line:
        """The first logical line (empty if the item is empty)."""
        return self.lines[0] if self.lines else Line([], self.line)


@dataclass
class Section:
    """A heading and what is written under it, with its sub-headings as children."""

    title: str
    """Heading text, plain."""
    level: int
    """1 to 6; 0 for the document root."""
    line: int
    """1-based line of the heading."""
    blocks: list[Block] = field(default_factory=list)
    """Blocks before the first sub-heading."""
    children: list[Section] = field(default_factory=list)
    """Sub-sections in order."""
    end_line: int = 0
    """Last source line belonging to the section (sub-sections included)."""

    def walk(self):
        """This section and every descendant, depth first, in document order."""
        stack = [self]
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))


@dataclass
class Document:
    """A parsed Markdown file."""

    path: Path
    """Where it was read from."""
    display: str
    """The path to show in messages."""
    text: str
    """Decoded text, BOM removed, line endings normalized to ``\\n``."""
    root: Section
    """The section tree; ``root.level == 0``."""
    _lines: list[str] | None = field(default=None, repr=False)

    def section_text(self, section: Section) -> str:
        """The raw source lines of a section (heading included)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        start = max(section.line - 1, 0)
        return "\n".join(self._lines[start : section.end_line])

    def section_hash(self, section: Section) -> str:
        """A short content hash of a section's raw source, for staleness checks."""
        body = "\n".join(ln.rstrip() for ln in self.section_text(section).split("\n")).strip()
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def clean(text: str) -> str:
    """Collapse whitespace and strip."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- reading


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 document safely, or raise :class:`InputError` naming the file."""
    if not path.exists():
        raise InputError(
            "file not found", file=display, hint="create it, or point --dir at the folder that holds construction/"
        )
    if path.is_dir():
        raise InputError("is a directory, expected a Markdown file", file=display, hint="replace it with the document")
    if not path.is_file():
        # a pipe or device (/dev/zero) would block or never end
        raise InputError(
            "is not a regular file (a pipe, socket or device)", file=display, hint="replace it with the document"
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size // (1024 * 1024)} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB cgplan reads",
                file=display,
                hint="split the document",
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputError("cannot read file: permission denied", file=display, hint="make it readable") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=display, hint="check the path") from None
    return decode(data, display)


def decode(data: bytes, display: str) -> str:
    """Decode bytes as UTF-8 text; reject binary content with a clear message."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            "contains NUL bytes; this is binary, not a Markdown document",
            file=display,
            line=line,
            hint="save it as UTF-8 text",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", file=display, line=line, hint="re-save the file as UTF-8"
        ) from None
    if not text.strip():
        raise InputError("file is empty", file=display, hint="fill it in from the Constellize template, or remove it")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[*+-][ \t]|\d{1,9}[.)][ \t]))+")


def _guard_nesting(text: str, display: str) -> None:
    """Refuse absurdly nested input before the parser sees it."""
    for m in re.finditer(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING},}}", text, re.M):
        prefix = _PREFIX.match(m.group(0) + " ")
        depth = 0
        if prefix:
            depth = len(re.findall(r">|[*+-][ \t]|\d{1,9}[.)][ \t]", prefix.group(0)))
        indent = len(m.group(0)) - len(m.group(0).lstrip(" \t"))
        if depth > MAX_NESTING or indent > MAX_INDENT:
            line = text.count("\n", 0, m.start()) + 1
            raise InputError(
                f"nesting deeper than {MAX_NESTING} levels",
                file=display,
                line=line,
                hint="flatten the lists or quotes there",
            )


def parse_file(path: Path, display: str) -> Document:
    """Read and parse a document."""
    return parse_text(read_text(path, display), path=path, display=display)


def parse_text(text: str, *, path: Path | None = None, display: str = "<text>") -> Document:
    """Parse Markdown text into a :class:`Document`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _guard_nesting(text, display)
    _guard_inline(text, display)
    try:
        root = _Builder(text, display).build()
    except RecursionError:
        raise InputError(
            f"nesting deeper than {MAX_NESTING} levels", file=display, hint="flatten the lists, quotes or emphasis"
        ) from None
    if _DEEP_INDENT.search(text):
        # only indentation can nest deeper than the prefix guard allows
        _guard_depth(root, display)
    return Document(path=path or Path(display), display=display, text=text, root=root)


#: Deepest inline nesting (emphasis, links, images) accepted in one paragraph.
MAX_INLINE_NESTING = 256

_INLINE_TOKEN = re.compile(r"!?\[|\]|[*_]+")
_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _guard_inline(text: str, display: str) -> None:
    """Refuse paragraphs whose emphasis, links or images nest absurdly deep.

    No design document nests spans hundreds deep; such input is refused with
    its line before it is parsed. Only paragraphs with many delimiters are
    scanned in detail.
    """
    pos = 0
    for sep in [*_PARA_SEP.finditer(text), None]:
        end = sep.start() if sep else len(text)
        para = text[pos:end]
        if para.count("[") + para.count("*") + para.count("_") > MAX_INLINE_NESTING:
            _scan_inline(text, pos, end, display)
            if para.count("*") + para.count("_") > MAX_EMPHASIS:
                _count_emphasis(text, pos, end, display)
        if sep:
            pos = sep.end()


_PARA_SEP = re.compile(r"\n[ \t]*\n")

#: Most emphasis marks (``*``/``_`` runs) accepted in one paragraph; a paragraph
#: with more is refused as not a design document.
MAX_EMPHASIS = 20_000
#: Lines that start a new inline run: list items, quotes, headings (table rows: see below).
_UNIT_START = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|#)")
_TABLE_RULE = re.compile(
    r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$|^[ \t]*\|[ \t]*:?-+:?[ \t]*\|?[ \t]*$"
)
_EMPHASIS_RUN = re.compile(r"\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")


def _count_emphasis(text: str, start: int, end: int, display: str) -> None:
    count, first = 0, start
    offset = start
    table = False  # after a table's delimiter row every line is a row, parsed on its own
    for line in text[start:end].split("\n"):
        if not table and "|" in line and _TABLE_RULE.match(line):
            table = True
        if table or _UNIT_START.search(line):
            count, first = 0, offset
        count += len(_EMPHASIS_RUN.findall(line))
        if count > MAX_EMPHASIS:
            raise InputError(
                f"one paragraph holds more than {MAX_EMPHASIS} emphasis marks (* or _); parsing it would take hours",
                file=display,
                line=text.count("\n", 0, first) + 1,
                hint="split it into paragraphs with blank lines",
            )
        offset += len(line) + 1


def _scan_inline(text: str, start: int, end: int, display: str) -> None:
    depth = 0
    for m in _INLINE_TOKEN.finditer(text, start, end):
        tok = m.group(0)
        if tok[-1] == "[":
            depth += 1
        elif tok == "]":
            depth = max(depth - 1, 0)
        else:
            before = text[m.start() - 1] if m.start() > start else " "
            after = text[m.end()] if m.end() < end else " "
            left = not after.isspace() and (after not in _PUNCT or before.isspace() or before in _PUNCT)
            right = not before.isspace() and (before not in _PUNCT or after.isspace() or after in _PUNCT)
            if left and not right:
                depth += len(tok)
            elif right and not left:
                depth = max(depth - len(tok), 0)
        if depth > MAX_INLINE_NESTING:
            line = text.count("\n", 0, m.start()) + 1
            raise InputError(
                f"emphasis, links or images nested deeper than {MAX_INLINE_NESTING} levels",
                file=display,
                line=line,
                hint="close the open ** _ [ there",
            )


_DEEP_INDENT = re.compile(rf"^[ \t>]{{{MAX_NESTING}}}", re.M)


def _guard_depth(root: Section, display: str) -> None:
    """Refuse a tree nested deeper than :data:`MAX_NESTING` (lists inside quotes inside lists ...)."""
    stack: list[tuple[Block, int]] = [(b, 1) for sec in root.walk() for b in sec.blocks]
    while stack:
        block, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InputError(
                f"nesting deeper than {MAX_NESTING} levels",
                file=display,
                line=block.line,
                hint="flatten the lists or quotes there",
            )
        stack.extend((b, depth + 1) for b in block.blocks)
        for item in block.items:
            stack.extend((b, depth + 1) for b in item.blocks)


# --------------------------------------------------------------------------- building

_MD = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES)

#: Inline spans that only wrap text (links and images are dicts: ``{"Link": ...}``).
_SPANS = frozenset({"Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"})
_ATX_AT = re.compile(rb"[ \t]*#{1,6}(?:[ \t\n]|$)")
_FENCE_AT = re.compile(r"[ \t]*(?:`{3,}|~{3,})(.*)")
#: Backslash escapes and character references, which the tree keeps as runs of their own.
_SPECIAL = re.compile(r"\\(.)|&(?:#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));", re.S)
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _events(text: str):
    """``(event, byte range)`` pairs of the parse, adjacent text merged.

    pyromark 0.10 (CPython 3.11 and later) merges text itself; 0.9, the last
    release with wheels for CPython 3.10, emits the same events unmerged.
    """
    try:
        return _MD.events_with_range(text, merge_text=True)
    except TypeError:
        return _merged_text(_MD.events_with_range(text))


def _merged_text(events):
    """Adjacent ``Text`` events as one, their byte ranges joined."""
    pending = None
    for event, span in events:
        if type(event) is dict and "Text" in event:
            if pending is None:
                pending = (event["Text"], span["start"], span["end"])
            else:
                pending = (pending[0] + event["Text"], pending[1], span["end"])
            continue
        if pending is not None:
            yield {"Text": pending[0]}, {"start": pending[1], "end": pending[2]}
            pending = None
        yield event, span
    if pending is not None:
        yield {"Text": pending[0]}, {"start": pending[1], "end": pending[2]}


class _Builder:
    """Turns pulldown-cmark's events (via pyromark) into sections and blocks.

    Events are consumed in one pass from a shared iterator: each method takes
    what belongs to its block, up to and including the event that ends it.
    """

    def __init__(self, text: str, display: str = "<text>"):
        self.display = display
        self.data = data = text.encode("utf-8")
        self.newlines = [i for i, b in enumerate(data) if b == 10] if len(data) < 4096 else _positions(data, b"\n")
        self.total_lines = len(self.newlines) + 1
        # byte offsets of "\\" and "&": a text event holding one is cut into runs there (see _pieces)
        self.specials = (
            sorted(_positions(data, b"\\") + _positions(data, b"&")) if b"\\" in data or b"&" in data else []
        )
        self.next = iter(_events(text)).__next__

    def line_at(self, start: int) -> int:
        return bisect.bisect_right(self.newlines, start - 1) + 1

    def build(self) -> Section:
        root = Section(title="", level=0, line=1)
        stack = [root]
        nxt = self.next
        while True:
            try:
                ev, rng = nxt()
            except StopIteration:
                break
            if type(ev) is str:  # a thematic break
                continue
            tag = ev.get("Start")
            if tag is None:
                continue
            if type(tag) is dict and "Heading" in tag:
                if not self.atx(rng):
                    self.skip()  # an underlined (setext) heading is skipped, text and all, as it always was
                    continue
                level = int(tag["Heading"]["level"][1])
                line = self.line_at(rng["start"])
                while stack[-1].level >= level:
                    stack[-1].end_line = line - 1
                    stack.pop()
                sec = Section(title=self.inline_text(), level=level, line=line)
                stack[-1].children.append(sec)
                stack.append(sec)
                continue
            self.block(tag, rng, 0, stack[-1].blocks)
        for sec in stack:
            sec.end_line = self.total_lines
        return root

    def atx(self, rng) -> bool:
        """Whether the heading starting at ``rng`` is written with ``#`` (setext headings are underlined)."""
        return _ATX_AT.match(self.data, rng["start"], rng["start"] + 8) is not None

    def skip(self) -> None:
        """Consume events up to the end of the element just started."""
        depth = 1
        nxt = self.next
        while depth:
            ev, _ = nxt()
            if type(ev) is dict:
                if "Start" in ev:
                    depth += 1
                elif "End" in ev:
                    depth -= 1

    def blocks(self, offset: int, first=None) -> list[Block]:
        """The blocks up to the end of the enclosing container (its end event consumed).

        Text outside a paragraph (in a tight list item, after a nested block) is
        not a block and is skipped, as it always was.
        """
        out: list[Block] = []
        nxt = self.next
        ev, rng = first or nxt()
        while True:
            if type(ev) is dict:
                tag = ev.get("Start")
                if tag is not None:
                    if tag in _SPANS if type(tag) is str else ("Link" in tag or "Image" in tag):
                        self.skip()
                    else:
                        self.block(tag, rng, offset, out)
                elif "End" in ev:
                    return out
            ev, rng = nxt()

    def block(self, tag, rng, offset: int, out: list[Block]) -> None:
        """Add the block just started (``tag``) to ``out``."""
        line = self.line_at(rng["start"]) + offset
        nxt = self.next
        if tag == "Paragraph":
            out.append(Block("para", line, lines=self.lines(nxt(), line)[0]))
        elif tag == "HtmlBlock":
            parts = []
            ev, _ = nxt()
            while "End" not in ev:
                parts.extend(ev.values())
                ev, _ = nxt()
            out.extend(self.html("".join(parts), line))
        elif type(tag) is str:
            self.skip()
        elif "List" in tag:
            items = []
            ordered = tag["List"] is not None
            while True:
                ev, r = nxt()
                if "End" in ev:
                    break
                items.append(self.item(r, offset))
            out.append(Block("list", line, items=items, ordered=ordered))
        elif "CodeBlock" in tag:
            kind = tag["CodeBlock"]
            info = self.fence_info(rng, kind["Fenced"]) if type(kind) is dict else ""
            parts = []
            ev, _ = nxt()
            while "End" not in ev:
                parts.extend(ev.values())
                ev, _ = nxt()
            code = "".join(parts)
            if code and code[-1] != "\n":  # the last line of a document (code left open), as every other line
                code += "\n"
            out.append(Block("fence", line, text=code, info=info))
        elif "Table" in tag:
            out.append(Block("table", line, rows=self.table_rows()))
        elif "BlockQuote" in tag:
            out.append(Block("quote", line, blocks=self.blocks(offset)))
        elif "Heading" in tag:
            # a heading inside a list item or quote: keep its text as a paragraph
            if self.atx(rng):
                out.append(Block("para", line, lines=[Line([Seg(self.inline_text(), strong=True)], line)]))
            else:
                self.skip()
        else:
            self.skip()

    def fence_info(self, rng, parsed: str) -> str:
        """The info string as written after the opening fence (escapes and entities left as they are)."""
        start = rng["start"]
        end = self.data.find(b"\n", start)
        m = _FENCE_AT.match(self.data[start : end if end >= 0 else len(self.data)].decode("utf-8"))
        return m.group(1) if m else parsed

    def table_rows(self) -> list[list[str]]:
        rows: list[list[str]] = []
        row: list[str] = []
        nxt = self.next
        while True:
            ev, _ = nxt()
            tag = ev.get("Start")
            if tag == "TableCell":
                row.append(self.inline_text())
            elif tag is None:  # the end of a row or of the table
                if ev["End"] == "Table":
                    return rows
                rows.append(row)
                row = []

    def html(self, content: str, line: int) -> list[Block]:
        keep_lines = lambda m: "\n" * m.group(0).count("\n")  # noqa: E731
        stripped = _SUMMARY.sub(keep_lines, _COMMENT.sub(keep_lines, content))
        inner = _TAG.sub("", stripped)
        if not inner.strip():
            return []
        # re-parse the unwrapped text (e.g. the body of <details>) as Markdown;
        # removing tags can line up nesting markers, so guard it again
        try:
            _guard_nesting(inner, self.display)
            _guard_inline(inner, self.display)
        except InputError as exc:
            exc.line = (exc.line or 1) + line - 1
            raise
        sub = _Builder(inner, self.display)
        out: list[Block] = []
        nxt = sub.next
        while True:
            try:
                ev, rng = nxt()
            except StopIteration:
                return out
            if type(ev) is dict:
                tag = ev.get("Start")
                if tag is not None:
                    sub.block(tag, rng, line - 1, out)

    def item(self, rng, offset: int) -> Item:
        line = self.line_at(rng["start"]) + offset
        nxt = self.next
        first = nxt()
        ev = first[0]
        lines: list[Line] = []
        if ev == {"Start": "Paragraph"}:
            lines = self.lines(nxt(), line)[0]
            first = None
        elif type(ev) is str:
            if ev != "Rule":
                lines, first = self.lines(first, line)
        elif "Start" not in ev or (
            ev["Start"] in _SPANS if type(ev["Start"]) is str else ("Link" in ev["Start"] or "Image" in ev["Start"])
        ):
            if "End" not in ev:  # a tight item's text
                lines, first = self.lines(first, line)
        checked = None
        if lines and lines[0].segs and not lines[0].segs[0].strong and not lines[0].segs[0].code:
            seg = lines[0].segs[0]
            m = _CHECK_RE.match(seg.text.lstrip())
            if m or seg.text.strip() in ("[ ]", "[x]", "[X]"):
                checked = (m.group(1) if m else seg.text.strip()[1]).lower() == "x"
                seg.text = _CHECK_RE.sub("", seg.text.lstrip(), count=1) if m else ""
        return Item(line=line, lines=lines, blocks=self.blocks(offset, first), checked=checked)

    def inline_text(self) -> str:
        """The plain text of the inline content up to the end of the enclosing block (consumed)."""
        return clean("".join([s.text for s in self.segs(self.next(), False)[0]]))

    def lines(self, first, line: int):
        """``(lines, the event that ended them)``: the inline content from ``first`` on, split at
        its top-level line breaks. The line after a break is counted in the text this builder
        parsed (inside unwrapped HTML: from the start of the HTML block), as it always was."""
        return self.segs(first, True, line)

    def segs(self, first, split: bool, line: int = 0):
        """Inline runs from event ``first`` on, up to the first event that is not inline
        (an end at the top level, or the start of a block), which is returned.

        With ``split``: ``(list of Line, stop event)``; otherwise ``(list of Seg, stop event)``.
        """
        out: list[Line] = []
        segs: list[Seg] = []
        depth = 0  # open spans
        strong = 0  # open ``**``
        nxt = self.next
        specials = self.specials
        ev, rng = first
        while True:
            if type(ev) is str:
                if ev == "Rule":
                    break
                if depth or not split:
                    segs.append(Seg(" ", strong > 0))
                else:
                    if _has_text(segs):
                        out.append(Line(segs, line))
                    segs = []
                    line = bisect.bisect_right(self.newlines, rng["start"] - 1) + 2
            else:
                text = ev.get("Text")
                if text is not None:
                    if specials:
                        start, end = rng["start"], rng["end"]
                        i = bisect.bisect_left(specials, start - 1)  # an escape's backslash is left out of its range
                        if split and i < len(specials) and specials[i] < end:
                            for piece in _pieces(text, self.data, start, end):
                                segs.append(Seg(piece, strong > 0))
                        else:
                            segs.append(Seg(text, strong > 0))
                    else:
                        segs.append(Seg(text, strong > 0))
                elif "Code" in ev:
                    segs.append(Seg(ev["Code"], strong > 0, True))
                elif "InlineHtml" in ev:
                    content = ev["InlineHtml"]
                    if content.lower().startswith("<br"):
                        segs.append(Seg(" ", strong > 0))
                    elif not content.startswith("<!--") and not _FORMAT_TAGS.match(content):
                        segs.append(Seg(content, strong > 0))
                elif "Start" in ev:
                    tag = ev["Start"]
                    if type(tag) is str:
                        if tag not in _SPANS:
                            break
                        depth += 1
                        if tag == "Strong":
                            strong += 1
                    elif "Link" in tag:
                        link = tag["Link"]
                        if link["link_type"] in ("Autolink", "Email"):
                            segs.append(Seg(_autolink_url(link), strong > 0))
                            while "End" not in nxt()[0]:
                                pass
                        else:
                            depth += 1
                    elif "Image" in tag:
                        depth += 1
                    else:
                        break
                elif "End" in ev:
                    if not depth:
                        break
                    depth -= 1
                    if ev["End"] == "Strong":
                        strong -= 1
                elif not depth:
                    break
            ev, rng = nxt()
        if not split:
            return segs, (ev, rng)
        if _has_text(segs):
            out.append(Line(segs, line))
        return out, (ev, rng)


def _pieces(text: str, data: bytes, start: int, end: int) -> list[str]:
    """``text`` cut into runs with each backslash escape and character reference a run of
    its own (``a \\* &amp; b`` -> ``a ``, ``*``, `` ``, ``&``, `` b``), as the loaders have
    always seen them. ``data[start:end]`` is the source of ``text`` (the range of a text
    that starts with an escaped character leaves out the backslash); if source and text
    do not line up, ``text`` is kept whole."""
    if start and data[start - 1] == 92:
        out = _split(text, data[start - 1 : end].decode("utf-8"))
        if out is not None:
            return out
    return _split(text, data[start:end].decode("utf-8")) or [text]


def _split(text: str, raw: str) -> list[str] | None:
    out: list[str] = []
    pos = 0
    plain = ""
    for m in _SPECIAL.finditer(raw):
        escaped, number, name = m.groups()
        if escaped is not None:
            piece = escaped if escaped in _ASCII_PUNCT else "\\" + escaped
        elif number is not None:
            code = int(number[1:], 16) if number[0] in "xX" else int(number)
            piece = chr(code) if _valid_code(code) else "\ufffd"
        else:
            piece = _html5.get(name + ";")
            if piece is None:
                continue  # not a reference: plain text
        plain += raw[pos : m.start()]
        if plain:
            out.append(plain)
            plain = ""
        out.append(piece)
        pos = m.end()
    plain += raw[pos:]
    if plain:
        out.append(plain)
    return out if "".join(out) == text else None


def _valid_code(c: int) -> bool:
    return not (
        0xD800 <= c <= 0xDFFF
        or 0xFDD0 <= c <= 0xFDEF
        or (c & 0xFFFF) in (0xFFFF, 0xFFFE)
        or c <= 0x08
        or c == 0x0B
        or 0x0E <= c <= 0x1F
        or 0x7F <= c <= 0x9F
        or c > 0x10FFFF
    )


#: Characters an autolink's address keeps as they are; others are percent-encoded (UTF-8).
_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789;/?:@&=+$,-_.!~*'()#")
_HEX = frozenset("0123456789abcdefABCDEF")
_HOST = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#:@]*@)?([^/?#:]*)")


def _autolink_url(link: dict) -> str:
    """An autolink's address as a link target: ``mailto:`` added to e-mail addresses, a
    non-ASCII host name in punycode, other characters percent-encoded."""
    url = link["dest_url"]
    if link["link_type"] == "Email":
        url = "mailto:" + url
    elif not url.isascii():
        m = _HOST.match(url)
        if m and not m.group(3).isascii():
            host = ".".join(
                p if p.isascii() else "xn--" + p.encode("punycode").decode("ascii") for p in m.group(3).split(".")
            )
            url = m.group(1) + (m.group(2) or "") + host + url[m.end() :]
    out = []
    i, n = 0, len(url)
    while i < n:
        ch = url[i]
        if ch in _URL_SAFE:
            out.append(ch)
        elif ch == "%" and i + 2 < n and url[i + 1] in _HEX and url[i + 2] in _HEX:
            out.append(url[i : i + 3])
            i += 3
            continue
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "replace")))
        i += 1
    return "".join(out)


def _has_text(segs: list[Seg]) -> bool:
    """Whether any seg holds a character other than whitespace."""
    for s in segs:
        if s.text and not s.text.isspace():
            return True
    return False


def _positions(data: bytes, byte: bytes) -> list[int]:
    out = []
    find = data.find
    i = find(byte)
    while i >= 0:
        out.append(i)
        i = find(byte, i + 1)
    return out


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_SUMMARY = re.compile(r"<summary\b.*?(?:</summary\s*>|\Z)", re.S | re.I)
#: Inline HTML tags that only format text; other tag-like text (``<primary>``) is kept literally.
_FORMAT_TAGS = re.compile(
    r"^</?(?:b|i|em|strong|code|sub|sup|kbd|span|a|u|s|small|mark|abbr|br|wbr|ins|del|font|tt|var|samp|cite|q)\b[^>]*>$",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
