"""Fixtures: a cheap engine on a manual clock, and the seed's account "Any Company".

The suite runs against the *installed* package (see run.sh): nothing here puts the source
tree of the package on ``sys.path``.
"""

from __future__ import annotations

import pytest

import seccode
from support import cheap_engine, make_any_company


@pytest.fixture
def engine() -> seccode.Engine:
    return cheap_engine()


@pytest.fixture
def account(engine: seccode.Engine) -> seccode.Account:
    return make_any_company(engine)
