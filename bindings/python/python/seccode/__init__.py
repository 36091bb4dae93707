"""Security codes for hosting and support portals.

A Python face of the seccode core (written in Rust): accounts, contacts, Argon2id-hashed
security codes, the permission tree, caller verification and request authorization. Every
rule lives in the core; this package converts and delegates.

Codes may be given as ``str``, ``bytes`` or ``bytearray``. They are copied into a buffer
that is wiped after use and never appear in a repr, an exception or the stored data. Python
keeps its own objects: pass a ``bytearray`` and clear it afterwards for the strictest
handling.

``Store`` keeps accounts in a SQLite file or a PostgreSQL database shared by every process
and thread that opens it: each operation is one transaction, and ``Store.verify`` counts the
attempt before it checks the code, so the lockout holds across processes.
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
    StoreUnavailable,
)
from ._native import (
    Account,
    AccountSummary,
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
    Store,
    StoreCheck,
    StoreConfig,
    UnusableHash,
    Upgrade,
    Verification,
    VerifiedCall,
    __version__,
    hash_code,
    needs_rehash,
    verify_code,
)

__all__ = [
    "Account",
    "AccountSummary",
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
    "Store",
    "StoreCheck",
    "StoreConfig",
    "StoreUnavailable",
    "UnusableHash",
    "Upgrade",
    "Verification",
    "VerifiedCall",
    "VerifyReason",
    "__version__",
    "hash_code",
    "needs_rehash",
    "verify_code",
]
