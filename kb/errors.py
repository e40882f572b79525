"""Errors that reach users: each one says where the problem is."""


class KbError(Exception):
    """An error a user can act on; its message is shown as is, in one line."""


class NoteError(KbError):
    """A note (or other source) that cannot be read, with the file and line."""

    def __init__(self, source, line, message) -> None:
        self.source, self.line, self.message = source, line, message
        where = f"{source}:{line}" if line else str(source)
        super().__init__(f"{where}: {message}")


class QueryError(KbError):
    """A search request that cannot be answered as asked (a bad parameter)."""

    def __init__(self, message, parameter=None) -> None:
        self.parameter = parameter
        super().__init__(message)


class IndexBusyError(KbError):
    """Another ``kb index`` holds the index's write lock."""


class IndexDamagedError(KbError):
    """An index whose files cannot be read: rebuilding it is the cure."""

    def __init__(self, path, cause) -> None:
        self.path = path
        why = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
        super().__init__(f"the index in {path} is damaged ({why}): "
                         "run 'kb index --rebuild' to build it again from the notes")


class IndexWriteError(KbError):
    """An index that could not be written (a full disk, a read-only folder)."""
