"""The exceptions of seccode.

Every error is a :class:`SeccodeError`; its subclass says what kind of problem it is (the
core's error families). The message is the core's: lowercase, and never a security code.
``code`` is the stable snake_case name of the precise error (``unknown_contact``,
``not_applicable``, ``malformed_hash``...).

A wrong code, an unknown or deactivated contact and a locked contact are *results* of
``Account.verify`` and ``Store.verify``, never exceptions. Arguments of the wrong type raise ``TypeError``.
"""

from __future__ import annotations

import collections.abc

from ._enums import Action, Reason

__all__ = [
    "Conflict",
    "InvalidArgument",
    "MalformedData",
    "NotFound",
    "PermissionDenied",
    "PolicyError",
    "SeccodeError",
    "StoreUnavailable",
]


class SeccodeError(Exception):
    """Base class of every seccode error (also raised as is for internal failures, after
    which nothing was changed)."""

    code: str

    def __init__(self, message: str, *, code: str = "error") -> None:
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        """The error message."""
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[type[SeccodeError], tuple[object, ...], dict[str, object]]:
        return (type(self), self.args, self.__dict__)


class InvalidArgument(SeccodeError, ValueError):
    """An argument is empty, too long, not UTF-8 or otherwise unusable (the message names
    the argument, never its value)."""


class NotFound(SeccodeError, LookupError):
    """A contact, resource or key id that does not exist."""


class PermissionDenied(SeccodeError):
    """The acting contact is not entitled to the operation.

    ``resource`` and ``action`` name the cell whose effective value had to be Allow; both
    are ``None`` when only the primary contact may do it.
    """

    resource: str | None
    action: Action | None

    def __init__(
        self,
        message: str,
        *,
        code: str = "permission_denied",
        resource: str | None = None,
        action: Action | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.resource = resource
        self.action = action


class PolicyError(SeccodeError, ValueError):
    """The code policy rejected a new code; ``reasons`` lists every rule it broke."""

    reasons: list[Reason]

    def __init__(
        self,
        message: str,
        *,
        code: str = "policy_rejected",
        reasons: collections.abc.Iterable[Reason] = (),
    ) -> None:
        super().__init__(message, code=code)
        self.reasons = list(reasons)


class MalformedData(SeccodeError, ValueError):
    """Stored data, a stored hash or a catalog is malformed, inconsistent or of an unknown
    format version."""


class Conflict(SeccodeError):
    """The operation contradicts the model: the primary contact's own grid or status, a
    not-applicable cell, a deactivated contact, a duplicate contact id, an import over a code
    that is set (``already_set``), a code that cannot be revealed (``sealed``)."""


class StoreUnavailable(SeccodeError, ConnectionError):
    """The store cannot be used right now: the database cannot be opened or reached
    (``cannot_open``), went away in the middle of an operation (``unavailable``), another
    process held it longer than the busy timeout (``busy``), or this ``Store`` was closed
    (``closed``). Nothing of the operation was committed; a read, or a change whose
    transaction never committed, was already retried. The message never holds a password."""
