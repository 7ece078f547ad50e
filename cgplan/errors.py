"""The exception tree: every error cgplan raises derives from :class:`CgplanError`.

Each message is one line that names the file (and line, where known) and says
what to do about it. The CLI prints ``str(exc)`` and exits with ``exc.exit_code``.
"""

from __future__ import annotations


class CgplanError(Exception):
    """Base of every error cgplan raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, hint: str | None = None):
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text.replace("\n", " ")


class InputError(CgplanError):
    """A construction document is missing, unreadable or not usable Markdown."""


class FolderNotFound(InputError):
    """No ``construction/`` folder where one was expected."""


class UsageError(CgplanError):
    """The call itself is wrong: an unknown gap, a bad option value."""


class UnknownGap(UsageError):
    """A gap name, slug or number that matches no gap."""

    def __init__(self, name: str, choices: list[str], *, file: str | None = None):
        self.name = name
        self.choices = choices
        hint = ("did you mean: " + ", ".join(choices)) if choices else "run `cgplan gaps` to list them"
        super().__init__(f"no gap matches {name!r}", file=file, hint=hint)


class AmbiguousGap(UsageError):
    """A word or prefix that matches several gaps."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(
            f"{name!r} matches {len(candidates)} gaps: {', '.join(candidates)}",
            hint="name one of them by its slug or number",
        )


class ConfigError(CgplanError):
    """A configuration or decisions file is malformed."""


class WriteError(CgplanError):
    """A plan could not be written safely; nothing was changed."""


class EditedPlan(CgplanError):
    """A plan was edited by hand since it was generated, so it was not overwritten."""

    exit_code = 1


class RunError(CgplanError):
    """A notebook run failed."""

    exit_code = 1
