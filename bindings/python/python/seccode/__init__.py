"""Security codes for hosting and support portals.

A Python face of the seccode core (written in Rust): accounts, contacts, Argon2id-hashed
security codes, the permission tree, caller verification and request authorization. Every
rule lives in the core; this package converts and delegates.

Codes may be given as ``str``, ``bytes`` or ``bytearray``. They are copied into a buffer
that is wiped after use and never appear in a repr, an exception or the stored data. Python
keeps its own objects: pass a ``bytearray`` and clear it afterwards for the strictest
handling.
"""

from ._enums import (
    Action,
    Binding,
    CallStatus,
    DecisionKind,
    DenyReason,
    Effective,
    Normalization,
    Origin,
    Outcome,
    Reason,
    RequestKind,
    Setting,
    Slot,
    VerifyReason,
)
from ._errors import (
    Conflict,
    InvalidArgument,
    MalformedData,
    NotFound,
    PermissionDenied,
    PolicyError,
    SeccodeError,
)
from ._native import (
    Account,
    AuditEvent,
    Catalog,
    Cell,
    CodeHash,
    CodePolicy,
    Contact,
    Decision,
    Engine,
    GridRow,
    LockStatus,
    UnusableHash,
    Upgrade,
    Verification,
    VerifiedCall,
    __version__,
    hash_code,
    verify_code,
)

__all__ = [
    "Account",
    "Action",
    "AuditEvent",
    "Binding",
    "CallStatus",
    "Catalog",
    "Cell",
    "CodeHash",
    "CodePolicy",
    "Conflict",
    "Contact",
    "Decision",
    "DecisionKind",
    "DenyReason",
    "Effective",
    "Engine",
    "GridRow",
    "InvalidArgument",
    "LockStatus",
    "MalformedData",
    "Normalization",
    "NotFound",
    "Origin",
    "Outcome",
    "PermissionDenied",
    "PolicyError",
    "Reason",
    "RequestKind",
    "SeccodeError",
    "Setting",
    "Slot",
    "UnusableHash",
    "Upgrade",
    "Verification",
    "VerifiedCall",
    "VerifyReason",
    "__version__",
    "hash_code",
    "verify_code",
]
