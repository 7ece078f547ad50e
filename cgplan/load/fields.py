"""Labelled fields (``**Type:** Library``) and the text helpers the loaders share.

A field starts at a label in any of the styles real documents use:
``**Type:** x``, ``**Type**: x``, ``- **Type:** x``, plain ``Type: x`` (only for
labels the caller knows), or a sub-heading whose title is a known label. Its
value is the rest of that line plus every block that follows, up to the next
label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cgplan.load.markdown import Block, Item, Line, Section, Seg, clean

if TYPE_CHECKING:
    from cgplan.model.construction import Problem


# --------------------------------------------------------------------------- text


def slugify(name: str) -> str:
    """Lower-case ASCII words joined by ``-`` (``Rate Limiter (v2)`` -> ``rate-limiter-v2``)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)


def _is_decoration(ch: str) -> bool:
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    # symbols (emoji, arrows, stars), variation selectors / joiners
    return cat in ("So", "Sk", "Cf", "Mn", "Me") or ch in "\ufe0f\u200d"


def strip_decoration(text: str) -> str:
    """Drop emoji and symbols at both ends (``⭐ Redis ✅`` -> ``Redis``)."""
    text = " ".join(text.split())
    if not text or (text[0].isalnum() and text[-1].isalnum()):
        return text  # letters and digits are never decoration
    start, end = 0, len(text)
    while start < end and _is_decoration(text[start]):
        start += 1
    while end > start and _is_decoration(text[end - 1]):
        end -= 1
    return text[start:end]


def norm_key(text: str) -> str:
    """Normalize a label or name for comparison: lower case, words only."""
    text = unicodedata.normalize("NFKD", text).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


_HEAD_SEP = r"\s*(?:#\s*)?(?P<num>\d+)?\s*(?:[:\-\u2013\u2014.|)]+|\s(?=\S))\s*(?P<name>.+)$"


def match_heading(title: str, word: str) -> tuple[int | None, str] | None:
    """Match ``<word> 1: Name``, ``<word> - Name``, ``<word> 2 — Name``, ``<word>: Name``.

    Returns ``(number or None, name)`` or ``None``. A bare number with no
    separator (``Gap 1 Name``) counts; ``Gap Analysis: X`` does not.
    """
    t = strip_decoration(title)
    m = re.match(r"(?i)" + re.escape(word) + r"\b" + _HEAD_SEP, t)
    if not m:
        return None
    num = m.group("num")
    sep_used = t[len(word) : m.start("name")]
    if num is None and not re.search(r"[:\-\u2013\u2014.|)]", sep_used):
        return None  # "Gap Analysis" / "Star Identification Checklist"
    name = strip_decoration(m.group("name"))
    if not name:
        return None
    return (int(num) if num else None), name


# --------------------------------------------------------------------------- fields


@dataclass
class Entry:
    """One value item of a field: a bullet, a line or a paragraph."""

    text: str
    """Plain text."""
    line: int
    """1-based source line."""
    item: Item | None = None
    """The list item, when the entry is one (gives access to sub-bullets)."""
    line_obj: Line | None = None
    """The inline line, when the entry is one (gives access to bold runs)."""

    @property
    def first(self) -> Line:
        """The inline line carrying the entry's text."""
        if self.item is not None:
            return self.item.first
        return self.line_obj or Line([Seg(self.text)], self.line)


@dataclass
class Field:
    """A labelled field and its value."""

    label: str
    """The label as written, plain."""
    key: str
    """Canonical key from the caller's vocabulary, else the normalized label."""
    line: int
    """1-based line of the label."""
    head: Line | None = None
    """What follows the label on its own line."""
    more: list[Line] = field(default_factory=list)
    """Further lines of the same paragraph."""
    blocks: list[Block] = field(default_factory=list)
    """Blocks after the label, up to the next one."""

    @property
    def head_text(self) -> str:
        return self.head.text if self.head else ""

    def entries(self) -> list[Entry]:
        """The value as a list: the inline text, each line, each bullet, each paragraph."""
        out: list[Entry] = []
        if self.head is not None and self.head.text:
            out.append(Entry(self.head.text, self.head.line, line_obj=self.head))
        for ln in self.more:
            if ln.text:
                out.append(Entry(ln.text, ln.line, line_obj=ln))
        for b in self.blocks:
            _block_entries(b, out)
        return out

    def texts(self) -> list[str]:
        """Plain text of each entry."""
        return [e.text for e in self.entries() if e.text]

    def text(self) -> str:
        """The whole value as one plain string."""
        return clean(" ".join(self.texts()))

    def fences(self) -> list[Block]:
        """Code blocks in the value (including those nested in bullets)."""
        out: list[Block] = []
        _fences(self.blocks, out)
        return out


def _fences(blocks: list[Block], out: list[Block]) -> None:
    # a module function, not a closure calling itself: such a closure is a reference cycle that
    # keeps what it touched alive until the (often paused) cyclic collector runs
    for b in blocks:
        if b.kind == "fence":
            out.append(b)
        elif b.kind == "list":
            for it in b.items:
                _fences(it.blocks, out)
        elif b.kind == "quote":
            _fences(b.blocks, out)


def _block_entries(block: Block, out: list[Entry]) -> None:
    if block.kind == "list":
        for it in block.items:
            if it.text:
                out.append(Entry(it.text, it.line, item=it))
            elif it.blocks:
                for sub in it.blocks:
                    _block_entries(sub, out)
    elif block.kind == "para":
        for ln in block.lines:
            out.append(Entry(ln.text, ln.line, line_obj=ln))
    elif block.kind == "table":
        for row in block.rows[1:]:
            text = clean(" | ".join(c for c in row if c))
            if text:
                out.append(Entry(text, block.line))
    elif block.kind == "quote":
        for sub in block.blocks:
            _block_entries(sub, out)


FORMAT_DOC = "docs/input-format.md"
"""The reference of every heading and label the loaders read (generated in part from their vocabularies)."""


class Vocabulary:
    """Known labels of one kind of section: key -> synonyms (normalized)."""

    def __init__(self, table: dict[str, tuple[str, ...]]):
        self.table = {key: tuple(syns) for key, syns in table.items()}
        """Key -> its synonyms, as given (the key itself, its words, is recognised too)."""
        pairs = [(norm_key(s), key) for key, syns in table.items() for s in (key, *syns)]
        self._pairs = sorted(pairs, key=lambda p: -len(p[0]))
        self._exact = {s: k for s, k in pairs}
        self._cache: dict[str, str | None | bool] = {}

    def key(self, label: str) -> str | None:
        hit = self._cache.get(label, False)
        if hit is False:
            hit = self._cache[label] = self._key(label)
        return hit

    def _key(self, label: str) -> str | None:
        n = norm_key(label)
        if not n:
            return None
        if n in self._exact:
            return self._exact[n]
        for syn, key in self._pairs:
            if n.startswith(syn + " "):
                return key
        return None


_PLAIN_LABEL = re.compile(r"^([A-Za-z][A-Za-z0-9 /&()'\-]{0,48}?)\s*:\s*(.*)$")


def _lead_index(segs: list[Seg]) -> int:
    """Index of the first seg that is not decoration (emoji, list dash)."""
    for i, s in enumerate(segs):
        if s.strong or s.code:
            return i
        for ch in s.text:
            if ch.isalnum() or not (ch in "-*+" or _is_decoration(ch)):
                return i
    return len(segs)


_INLINE_SEP = ("|", ";", "·", "•", "/", ",")


def split_inline_labels(line: Line) -> list[Line]:
    """``**Type:** Service | **Status:** Stable`` -> one line per label.

    A bold label in the middle of a line starts a new logical line when the
    text before it ends with a separator (``|``, ``;``, ``·``, ``•``).
    """
    cuts = []
    for i in range(1, len(line.segs)):
        seg, prev = line.segs[i], line.segs[i - 1]
        if not seg.strong or prev.strong:
            continue
        if not prev.text.rstrip().endswith(_INLINE_SEP[:4]):
            continue
        bold = ""
        j = i
        while j < len(line.segs) and line.segs[j].strong:
            bold += line.segs[j].text
            j += 1
        after = line.segs[j].text if j < len(line.segs) else ""
        if bold.rstrip().endswith(":") or after.lstrip().startswith(":"):
            cuts.append(i)
    if not cuts:
        return [line]
    out, start = [], 0
    for cut in [*cuts, len(line.segs)]:
        segs = list(line.segs[start:cut])
        if segs and not segs[-1].strong:
            segs[-1] = Seg(segs[-1].text.rstrip().rstrip("|;·•").rstrip(), segs[-1].strong, segs[-1].code)
        out.append(Line(segs, line.line))
        start = cut
    return out


def split_label(line: Line, vocab: Vocabulary | None, *, strict: bool) -> tuple[str, str, Line] | None:
    """If ``line`` starts with a label, return ``(label, key, rest)``.

    Bold labels count always unless ``strict``; then, and for plain ``Label:``
    text, only labels in ``vocab`` do.
    """
    segs = line.segs
    i = _lead_index(segs)
    if i >= len(segs):
        return None
    label = None
    rest: list[Seg] = []
    if segs[i].strong:
        j = i
        while j < len(segs) and segs[j].strong:
            j += 1
        bold = "".join(s.text for s in segs[i:j]).strip()
        after = segs[j:]
        if bold.endswith(":"):
            label = bold[:-1]
            rest = after
        elif after and after[0].text.lstrip().startswith(":"):
            label = bold
            first = Seg(after[0].text.lstrip()[1:], after[0].strong, after[0].code)
            rest = [first, *after[1:]]
        else:
            return None
        key = vocab.key(label) if vocab else None
        if key is None:
            if strict:
                return None
            key = norm_key(label)
    else:
        if vocab is None or segs[i].code:
            return None
        text = "".join(s.text for s in segs[i:])
        m = _PLAIN_LABEL.match(text.lstrip())
        if not m:
            return None
        key = vocab.key(m.group(1))
        if key is None:
            return None
        label = m.group(1)
        rest = [Seg(m.group(2))]
    label = strip_decoration(label.strip())
    if not label:
        return None
    return label, key, Line(rest, line.line)


def _bold_label(line: Line, vocab: Vocabulary) -> bool:
    """The line starts with a bold label of ``vocab`` (``**Must Connect To:**``)."""
    lead = _lead_index(line.segs)
    return lead < len(line.segs) and line.segs[lead].strong and split_label(line, vocab, strict=True) is not None


def split_lazy_labels(block: Block, vocab: Vocabulary) -> list[Block]:
    """A list that swallowed the next label, cut before it.

    With no blank line between a list and the next label, Markdown makes the
    label part of the last item (``- Runs daily`` then ``**Must Connect To:**``
    is one item of two lines), and any bullets after it more items of the same
    list. A line inside an item that starts with a bold label of ``vocab``
    therefore starts a paragraph of its own, and the items after it a new list.
    """
    if block.kind != "list":
        return [block]
    for k, it in enumerate(block.items):
        for i in range(1, len(it.lines)):
            if not _bold_label(it.lines[i], vocab):
                continue
            head = Item(it.line, it.lines[:i], [], it.checked)
            out = [Block("list", block.line, items=[*block.items[:k], head], ordered=block.ordered)]
            out.append(Block("para", it.lines[i].line, lines=it.lines[i:]))
            out.extend(it.blocks)
            rest = block.items[k + 1 :]
            if rest:
                out.extend(split_lazy_labels(Block("list", rest[0].line, items=rest, ordered=block.ordered), vocab))
            return out
    return [block]


def collect_fields(section: Section, vocab: Vocabulary, *, containers: bool = True, skip=None) -> list[Field]:
    """All labelled fields in a section, sub-sections included, in order.

    ``skip(child)`` true leaves a sub-section out (a following item whose heading
    sits one level deeper, such as ``### Star: B`` after ``## Star: A``).
    """
    fields: list[Field] = []

    def start(label: str, key: str, line: int, head: Line | None) -> Field:
        f = Field(label=label, key=key, line=line, head=head)
        fields.append(f)
        return f

    def add_blocks(blocks: list[Block]) -> None:
        blocks = [part for whole in blocks for part in split_lazy_labels(whole, vocab)]
        for b in blocks:
            if b.kind == "para":
                for ln in (part for whole in b.lines for part in split_inline_labels(whole)):
                    hit = split_label(ln, vocab, strict=False)
                    if hit:
                        start(hit[0], hit[1], ln.line, hit[2])
                    elif fields:
                        cur = fields[-1]
                        if cur.blocks:
                            cur.blocks.append(Block("para", ln.line, lines=[ln]))
                        else:
                            cur.more.append(ln)
            elif b.kind == "list" and (hits := _labelled_list(b, vocab)):
                for it, hit in zip(b.items, hits, strict=True):
                    if hit:
                        f = start(hit[0], hit[1], it.line, hit[2])
                        f.more.extend(it.lines[1:])
                        f.blocks.extend(it.blocks)
                    elif fields:
                        fields[-1].blocks.append(Block("list", it.line, items=[it]))
            elif b.kind == "table" and _field_table(b, vocab):
                for row in b.rows:
                    key = vocab.key(row[0])
                    if key:
                        start(row[0], key, b.line, Line([Seg(" ".join(row[1:]))], b.line))
            elif fields:
                fields[-1].blocks.append(b)

    # sections in document order (depth first), each with its field key if its heading is a field;
    # a loop, not a closure calling itself: that would be a reference cycle keeping the whole
    # document alive until the (often paused) cyclic collector runs
    stack: list[tuple[Section, str | None]] = [(section, None)]
    while stack:
        sec, key = stack.pop()
        if key:
            start(strip_decoration(sec.title), key, sec.line, None)
        add_blocks(sec.blocks)
        todo = []
        for child in sec.children:
            if skip is not None and skip(child):
                continue
            child_key = vocab.key(child.title)
            if child_key or containers:
                todo.append((child, child_key))
        stack.extend(reversed(todo))
    return fields


def flat_items(root: Section, vocab: Vocabulary, is_item) -> dict[int, Section]:
    """Item sections whose fields were written as same-level headings after them.

    ``### Sketch 1: X`` followed by ``### Design Approach`` (a sibling, not a
    child) still owns that section: each item section is returned extended with
    the following siblings whose titles are known field headings of ``vocab``,
    keyed by ``id()`` of the original section. Items without such siblings are
    not in the map.
    """
    out: dict[int, Section] = {}
    for parent in root.walk():
        kids = parent.children
        for i, sec in enumerate(kids):
            if not is_item(sec):
                continue
            extra = []
            for j in range(i + 1, len(kids)):  # by index: a slice here would copy the rest for every item
                sib = kids[j]
                if is_item(sib) or vocab.key(sib.title) is None:
                    break
                extra.append(sib)
            if extra:
                merged = Section(
                    title=sec.title, level=sec.level, line=sec.line, blocks=sec.blocks, children=[*sec.children, *extra]
                )
                merged.end_line = extra[-1].end_line
                out[id(sec)] = merged
    return out


def looks_like(section: Section, vocab: Vocabulary, *, minimum: int = 2) -> bool:
    """A heading without the usual prefix counts as an item only when it carries known fields."""
    keys = {f.key for f in collect_fields(section, vocab) if vocab.key(f.label)}
    return len(keys) >= minimum


def _labelled_list(block: Block, vocab: Vocabulary) -> list | None:
    """For a list whose items are fields (``- **Type:** x``), not a field's value:
    each item's label split (or ``None``)."""
    hits = [split_label(it.first, vocab, strict=True) for it in block.items]
    n = sum(1 for h in hits if h)
    return hits if n > 0 and n * 2 >= len(block.items) else None


def _field_table(block: Block, vocab: Vocabulary) -> bool:
    rows = [r for r in block.rows if r]
    if not rows or len(rows[0]) < 2:
        return False
    hits = sum(1 for r in rows if vocab.key(r[0]))
    return hits >= 2 and hits * 2 >= len(rows)


class FieldMap:
    """Fields of a section by key; the first of a key wins, the rest are kept."""

    def __init__(self, fields: list[Field]):
        self.fields = fields
        self._by: dict[str, Field] = {}
        for f in fields:
            cur = self._by.get(f.key)
            if cur is None or (not cur.entries() and f.entries()):
                self._by[f.key] = f

    def get(self, key: str) -> Field | None:
        return self._by.get(key)

    def text(self, key: str) -> str:
        f = self._by.get(key)
        return f.text() if f else ""

    def texts(self, key: str) -> list[str]:
        f = self._by.get(key)
        return f.texts() if f else []

    def entries(self, key: str) -> list[Entry]:
        f = self._by.get(key)
        return f.entries() if f else []

    def has(self, key: str) -> bool:
        return key in self._by

    def missing(
        self,
        required: tuple[str, ...],
        what: str,
        name: str,
        where: tuple[str, int],
        field_name: str,
        *,
        labels: dict[str, str] | None = None,
        section: str | None = None,
    ) -> list[Problem]:
        """A ``missing-field`` warning for each required key this section lacks, naming the label to
        add (``labels``: key -> the label as the template writes it) and the part of
        :data:`FORMAT_DOC` (``section``) that explains it."""
        from cgplan.model.construction import Problem

        out = []
        for key in required:
            if self.has(key):
                continue
            label = (labels or {}).get(key) or key.replace("_", " ")
            advice = f"add the label **{label}:**"
            if section:
                advice += f" (see {FORMAT_DOC} § {section})"
            out.append(
                Problem(
                    "missing-field",
                    "warning",
                    f"{what} {name!r} has no {label} field; {advice}",
                    where[0],
                    where[1],
                    {field_name: name, "field": key},
                )
            )
        return out

    def extras(self, known: set[str]) -> dict[str, list[str]]:
        """Fields whose key is not in ``known``, label -> texts."""
        return {f.label: f.texts() for f in self.fields if f.key not in known}
