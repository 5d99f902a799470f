"""The one error type the CLI reports as a clean one-line message (exit 2)."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: `where` names the file and, after a colon, the place inside it."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Raised in a forked child (see parallel.py), it comes back pickled.
        return (type(self), (self.where, self.message))
