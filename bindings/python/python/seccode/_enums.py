"""The core's enumerations as :class:`enum.Enum` classes.

Every member is also a ``str`` equal to the core's name for it (``Action.VIEW == "view"``),
so a plain string works wherever a member is expected, and members compare, hash and
serialize as those names.

The members of the answers to "may the caller go ahead?" (``Outcome``, ``DecisionKind``,
``CallStatus`` and ``Effective``) have no truth value: as non-empty strings every one of them
would read as true, ``Outcome.NOT_VERIFIED`` and ``Effective.DENY`` included, so ``bool()``
raises ``TypeError``. Compare them with a member instead.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, NoReturn, TypeVar

_N = TypeVar("_N", bound="_Name")

__all__ = [
    "Action",
    "Binding",
    "CallStatus",
    "DecisionKind",
    "DenyReason",
    "Effective",
    "Normalization",
    "Origin",
    "Outcome",
    "Reason",
    "RequestKind",
    "Setting",
    "Slot",
    "VerifyReason",
]


class _Name(str, enum.Enum):
    """A member that is the core's name for it."""

    if TYPE_CHECKING:
        # What the enum machinery makes of the constructor (typeshed would otherwise take
        # `str.__new__` for it): look a member up by its value.
        def __new__(cls: type[_N], value: str) -> _N: ...

    def __str__(self) -> str:
        return str(self.value)


class Action(_Name):
    """One of the four columns of the permission grid."""

    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Setting(_Name):
    """A contact's raw choice in one cell of its grid."""

    INHERIT = "inherit"
    ALLOW = "allow"
    DENY = "deny"


class Effective(_Name):
    """The effective value of a cell; only ``ALLOW`` grants access."""

    ALLOW = "allow"
    DENY = "deny"
    NONE = "none"
    NOT_APPLICABLE = "not_applicable"

    def __bool__(self) -> NoReturn:
        raise TypeError(
            "the truth value of an Effective is ambiguous; "
            "compare it with Effective.ALLOW or use Cell.allowed"
        )


class Origin(_Name):
    """Where an effective value comes from."""

    EXPLICIT = "explicit"
    INHERITED = "inherited"
    DEFAULT = "default"
    OWNER = "owner"
    NOT_APPLICABLE = "not_applicable"


class Normalization(_Name):
    """How codes are compared: ``SPOKEN`` (the default) ignores case, spaces and punctuation;
    ``EXACT`` applies Unicode NFKC only."""

    SPOKEN = "spoken"
    EXACT = "exact"


class Binding(_Name):
    """Whether a stored hash is bound to its account or contact (``SCOPED``, made by
    seccode) or a plain hash from another system (``LEGACY``)."""

    SCOPED = "scoped"
    LEGACY = "legacy"


class Outcome(_Name):
    """What a caller is told after a verification; nothing more."""

    VERIFIED = "verified"
    NOT_VERIFIED = "not_verified"
    LOCKED = "locked"

    def __bool__(self) -> NoReturn:
        raise TypeError(
            "the truth value of an Outcome is ambiguous; "
            "compare it with Outcome.VERIFIED or use Verification.verified"
        )


class VerifyReason(_Name):
    """Why a verification ended as it did: for the audit log, never for the caller."""

    INDIVIDUAL = "individual"
    ACCOUNT_WIDE = "account_wide"
    WRONG_CODE = "wrong_code"
    UNKNOWN_CONTACT = "unknown_contact"
    DEACTIVATED = "deactivated"
    NO_USABLE_CODE = "no_usable_code"
    LOCKED = "locked"
    UNUSABLE_HASH = "unusable_hash"
    CHANGED = "changed"
    THROTTLED = "throttled"


class Slot(_Name):
    """Which of a contact's two possible codes."""

    ACCOUNT_WIDE = "account_wide"
    INDIVIDUAL = "individual"


class RequestKind(_Name):
    """The kind of request a caller makes. (Where a kind is expected, the core also reads
    ``"significant-change"``.)"""

    ROUTINE = "routine"
    BILLABLE = "billable"
    SIGNIFICANT_CHANGE = "significant_change"
    CANCELLATION = "cancellation"


class DecisionKind(_Name):
    """What support may do with a request."""

    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval"
    DENIED = "denied"

    def __bool__(self) -> NoReturn:
        raise TypeError(
            "the truth value of a DecisionKind is ambiguous; "
            "compare it with DecisionKind.ALLOWED or use Decision.allowed"
        )


class DenyReason(_Name):
    """Why a request was denied."""

    DEACTIVATED = "deactivated"
    NOT_VERIFIED = "not_verified"
    VERIFICATION_EXPIRED = "verification_expired"
    VERIFICATION_VOID = "verification_void"
    MISSING_PERMISSION = "missing_permission"


class CallStatus(_Name):
    """Whether a :class:`VerifiedCall` still authorizes requests: ``EXPIRED`` and ``VOID``
    (another account, or the contact removed, deactivated or its code changed) mean
    "verify again"."""

    VALID = "valid"
    EXPIRED = "expired"
    VOID = "void"

    def __bool__(self) -> NoReturn:
        raise TypeError(
            "the truth value of a CallStatus is ambiguous; "
            "compare it with CallStatus.VALID"
        )


class Reason(_Name):
    """Why the policy rejected a new code. ``number`` and ``message`` are the core's."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    SSN_SHAPED = "ssn_shaped"
    DATE_SHAPED = "date_shaped"
    CONTAINS_NAME = "contains_name"
    CONTAINS_EMAIL = "contains_email"
    CONTAINS_PHONE = "contains_phone"
    CONTAINS_ACCOUNT_NAME = "contains_account_name"
    CONTAINS_ACCOUNT_ID = "contains_account_id"
    COMMON_PASSWORD = "common_password"
    TOO_WEAK = "too_weak"

    @property
    def number(self) -> int:
        """The stable number of the reason (as in the C ABI)."""
        from ._native import _reason_info

        return _reason_info(self.value)[0]

    @property
    def message(self) -> str:
        """A sentence stating the rule under the default policy; never quotes the code.
        ``CodePolicy.describe`` words it with a configured policy's numbers."""
        from ._native import _reason_info

        return _reason_info(self.value)[1]
