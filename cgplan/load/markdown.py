"""Markdown to a small section/block tree, via markdown-it (CommonMark, Rust core).

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
from pathlib import Path

from markdown_it_pyrs import MarkdownIt

from cgplan.errors import InputError

_MD = MarkdownIt("commonmark").enable("table")

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
    for m in re.finditer(r"^[ \t>*+\-0-9.)]{%d,}" % MAX_NESTING, text, re.M):
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
    builder = _Builder(text, display)
    try:
        root = builder.build(text)
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

    The parser builds one tree level per nested span, and a tree tens of
    thousands of levels deep crashes the interpreter, so this runs before it.
    Only paragraphs with many delimiters are scanned in detail.
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

#: Most emphasis marks (``*``/``_`` runs) accepted in one paragraph: the parser's
#: time grows with the square of their number (80,000 take about 5 seconds).
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


_DEEP_INDENT = re.compile(r"^[ \t>]{%d}" % MAX_NESTING, re.M)


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


def _tree(text: str, display: str):
    """``(node tree, text parsed)``.

    The parser panics (and prints a Rust backtrace) on a code-span backtick left
    open after a ``[`` (``[a `x``), so such backticks are escaped first: they are
    literal text either way, and no line moves.
    """
    parsed = escape_open_backticks(text)
    try:
        return _MD.tree(parsed), parsed
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ != "PanicException":
            raise
    raise InputError(
        "the Markdown parser failed on this document", file=display, hint="look for unbalanced ` or [ and balance them"
    )


_FENCE_LINE = re.compile(r"^[ \t>*+\-0-9.)]*(`{3,}|~{3,})(.*)$")
_BACKTICKS = re.compile(r"(?<!\\)`+")
_CELL_SEP = re.compile(r"(?<!\\)\|")


def escape_open_backticks(text: str) -> str:
    """Backslash-escape each backtick run that follows a ``[`` in its paragraph (or table cell)
    and that no run of the same length closes. Fenced code is left alone; the text is
    returned unchanged (the same object) when there is nothing to escape."""
    if "`" not in text or "[" not in text:
        return text
    out: list[str] = []
    para: list[str] = []
    fence = ""
    changed = False

    def flush() -> None:
        nonlocal changed
        if para:
            joined = "\n".join(para)
            fixed = _escape_para(joined) if "[" in joined and "`" in joined else joined
            changed = changed or fixed != joined
            out.append(fixed)
            para.clear()

    for line in text.split("\n"):
        m = _FENCE_LINE.match(line)
        if m and m.group(1)[0] == "`" and "`" in m.group(2):
            m = None  # inline code at the start of a line, not a fence
        if fence:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = ""
            continue
        if m:
            flush()
            fence = m.group(1)
            out.append(line)
        elif not line.strip():
            flush()
            out.append(line)
        else:
            para.append(line)
    flush()
    return "\n".join(out) if changed else text


def _escape_para(para: str) -> str:
    if "|" in para:  # a table: cells are parsed one by one
        return "\n".join("|".join(_escape_span(cell) for cell in _CELL_SEP.split(line)) for line in para.split("\n"))
    return _escape_span(para)


def _escape_span(span: str) -> str:
    first = span.find("[")
    if first < 0 or "`" not in span:
        return span
    runs = list(_BACKTICKS.finditer(span))
    escape: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        n = len(runs[i].group(0))
        close = next((j for j in range(i + 1, len(runs)) if len(runs[j].group(0)) == n), None)
        if close is None:
            if runs[i].start() > first:
                escape.append(runs[i].span())
            i += 1
        else:
            i = close + 1
    for a, b in reversed(escape):
        span = span[:a] + "\\`" * (b - a) + span[b:]
    return span


#: Documents larger than this are parsed in pieces split at headings, so the
#: parser's node tree (about 50 bytes of memory per byte of text) never holds
#: more than one piece at a time.
CHUNK_BYTES = 512 * 1024

_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_FENCE_OPEN = re.compile(r"[ \t>*+\-0-9.)]*?(`{3,}|~{3,})(.*)$")


def chunks(text: str, size: int | None = None) -> list[tuple[str, int]]:
    """``(piece, lines before it)`` pieces of ``text``, each starting at a heading.

    A piece ends only before an ATX heading that follows a blank line outside
    fenced code and HTML comments: there every open block has ended, so the
    pieces parse exactly as the whole would.
    """
    size = CHUNK_BYTES if size is None else size
    if len(text) <= size:
        return [(text, 0)]
    lines = text.split("\n")
    out: list[tuple[str, int]] = []
    start = 0
    length = 0
    fence = ""
    comment = False
    blank = True
    for i, line in enumerate(lines):
        if fence:
            m = _FENCE_OPEN.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = ""
        elif comment:
            comment = "-->" not in line
        else:
            if length >= size and blank and i > start and _ATX.match(line):
                out.append(("\n".join(lines[start:i]), start))
                start, length = i, 0
            m = _FENCE_OPEN.match(line)
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                fence = m.group(1)
            elif "<!--" in line and "-->" not in line[line.rindex("<!--") :]:
                comment = True
        length += len(line) + 1
        blank = not line.strip()
    out.append(("\n".join(lines[start:]), start))
    return out


class _Builder:
    """Turns the markdown-it node tree into sections and blocks."""

    def __init__(self, text: str, display: str = "<text>"):
        self.display = display
        self.base = 0
        self._index(text)
        self.total_lines = len(self.newlines) + 1

    def _index(self, text: str) -> None:
        data = text.encode("utf-8")
        self.newlines = [i for i, b in enumerate(data) if b == 10] if len(data) < 4096 else _newlines(data)

    def line_of(self, node, offset: int = 0) -> int:
        start = node.srcmap[0] if node.srcmap else 0
        return bisect.bisect_right(self.newlines, start - 1) + 1 + offset + self.base

    def end_line_of(self, node, offset: int = 0) -> int:
        end = node.srcmap[1] if node.srcmap else 0
        return bisect.bisect_right(self.newlines, max(end - 2, 0)) + 1 + offset + self.base

    def build(self, text: str) -> Section:
        root = Section(title="", level=0, line=1)
        stack = [root]
        for chunk, base in chunks(text):
            tree, parsed = _tree(chunk, self.display)
            if parsed is not text:  # the whole text (one piece, nothing escaped) was indexed already
                self._index(parsed)
            self.base = base
            self._add(tree, stack)
            del tree
        for sec in stack:
            sec.end_line = self.total_lines
        return root

    def _add(self, tree, stack: list[Section]) -> None:
        for node in tree.children:
            if node.name == "heading":
                level = int(node.meta.get("level", 1))
                line = self.line_of(node)
                while stack[-1].level >= level:
                    stack[-1].end_line = line - 1
                    stack.pop()
                sec = Section(title=_inline_text(node.children), level=level, line=line)
                stack[-1].children.append(sec)
                stack.append(sec)
                continue
            for block in self.blocks([node], 0):
                stack[-1].blocks.append(block)

    def blocks(self, nodes, offset: int) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            name = node.name
            line = self.line_of(node, offset)
            if name == "paragraph":
                out.append(Block("para", line, lines=self.lines(node.children, line)))
            elif name in ("bullet_list", "ordered_list"):
                items = [self.item(child, offset) for child in node.children if child.name == "list_item"]
                out.append(Block("list", line, items=items, ordered=name == "ordered_list"))
            elif name in ("fence", "code_block"):
                out.append(
                    Block("fence", line, text=node.meta.get("content", ""), info=str(node.meta.get("info", "") or ""))
                )
            elif name == "table":
                out.append(Block("table", line, rows=_table_rows(node)))
            elif name == "blockquote":
                out.append(Block("quote", line, blocks=self.blocks(node.children, offset)))
            elif name == "html_block":
                out.extend(self.html(node.meta.get("content", ""), line))
            elif name == "heading":
                # a heading inside a list item or quote: keep its text as a paragraph
                out.append(Block("para", line, lines=[Line([Seg(_inline_text(node.children), strong=True)], line)]))
        return out

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
        tree, parsed = _tree(inner, self.display)
        sub = _Builder(parsed, self.display)
        blocks = sub.blocks(tree.children, line - 1)
        return blocks

    def item(self, node, offset: int) -> Item:
        line = self.line_of(node, offset)
        children = list(node.children)
        inline: list = []
        rest: list = []
        if children and children[0].name == "paragraph":
            inline = list(children[0].children)
            rest = children[1:]
        else:
            i = 0
            while i < len(children) and _is_inline(children[i]):
                i += 1
            inline, rest = children[:i], children[i:]
        lines = self.lines(inline, line)
        checked = None
        if lines and lines[0].segs and not lines[0].segs[0].strong and not lines[0].segs[0].code:
            first = lines[0].segs[0]
            m = _CHECK_RE.match(first.text.lstrip())
            if m or first.text.strip() in ("[ ]", "[x]", "[X]"):
                checked = (m.group(1) if m else first.text.strip()[1]).lower() == "x"
                first.text = _CHECK_RE.sub("", first.text.lstrip(), count=1) if m else ""
        return Item(line=line, lines=lines, blocks=self.blocks(rest, offset), checked=checked)

    def lines(self, nodes, line: int) -> list[Line]:
        out: list[Line] = []
        segs: list[Seg] = []
        for node in nodes:
            name = node.name
            if name == "text":  # most nodes: plain text, no markup
                segs.append(Seg(node.meta.get("content", "")))
            elif name == "softbreak" or name == "hardbreak":
                if _has_text(segs):
                    out.append(Line(segs, line))
                segs = []
                line = self.line_of(node) + 1 if node.srcmap else line + 1
            else:
                _segs(node, segs, False, False)
        if _has_text(segs):
            out.append(Line(segs, line))
        return out


def _has_text(segs: list[Seg]) -> bool:
    """Whether any seg holds a character other than whitespace."""
    for s in segs:
        if s.text and not s.text.isspace():
            return True
    return False


def _newlines(data: bytes) -> list[int]:
    out = []
    find = data.find
    i = find(b"\n")
    while i >= 0:
        out.append(i)
        i = find(b"\n", i + 1)
    return out


_INLINE = {
    "text",
    "strong",
    "em",
    "code_inline",
    "link",
    "image",
    "softbreak",
    "hardbreak",
    "html_inline",
    "text_special",
    "autolink",
    "strikethrough",
}


def _is_inline(node) -> bool:
    return node.name in _INLINE


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_SUMMARY = re.compile(r"<summary\b.*?(?:</summary\s*>|\Z)", re.S | re.I)
#: Inline HTML tags that only format text; other tag-like text (``<primary>``) is kept literally.
_FORMAT_TAGS = re.compile(
    r"^</?(?:b|i|em|strong|code|sub|sup|kbd|span|a|u|s|small|mark|abbr|br|wbr|ins|del|font|tt|var|samp|cite|q)\b[^>]*>$",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _segs(node, out: list[Seg], strong: bool, code: bool) -> None:
    name = node.name
    if name in ("text", "text_special"):
        out.append(Seg(node.meta.get("content", ""), strong, code))
    elif name == "code_inline":
        out.append(Seg("".join(c.meta.get("content", "") for c in node.children), strong, True))
    elif name == "strong":
        for child in node.children:
            _segs(child, out, True, code)
    elif name == "html_inline":
        content = node.meta.get("content", "")
        if content.lower().startswith("<br"):
            out.append(Seg(" ", strong, code))
        elif not content.startswith("<!--") and not _FORMAT_TAGS.match(content):
            out.append(Seg(content, strong, code))
    elif name in ("softbreak", "hardbreak"):
        out.append(Seg(" ", strong, code))
    elif name == "autolink":
        out.append(Seg(str(node.meta.get("url", "")), strong, code))
    else:  # em, link, image, strikethrough, anything new: keep the text
        for child in node.children:
            _segs(child, out, strong, code)


def _inline_text(nodes) -> str:
    segs: list[Seg] = []
    for node in nodes:
        _segs(node, segs, False, False)
    return clean("".join(s.text for s in segs))


def _table_rows(node) -> list[list[str]]:
    rows = []
    for part in node.children:
        for row in part.children:
            rows.append([_inline_text(cell.children) for cell in row.children])
    return rows
