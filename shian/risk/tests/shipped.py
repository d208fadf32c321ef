"""The rule-set files shipped with the risk app, read fresh for each test that changes them."""

import copy
import functools
import tomllib
from pathlib import Path

from shian.risk.ruleset import RuleSetSpec, parse_ruleset

RULESETS = Path(__file__).resolve().parent.parent / "rulesets"


def shipped_bytes(code: str) -> bytes:
    return (RULESETS / f"{code}.toml").read_bytes()


@functools.cache
def _data(code: str) -> dict:
    return tomllib.loads(shipped_bytes(code).decode("utf-8"))


def shipped_data(code: str) -> dict:
    """The loaded file, a copy the caller may change."""
    return copy.deepcopy(_data(code))


@functools.cache
def shipped_spec(code: str) -> RuleSetSpec:
    return parse_ruleset(shipped_data(code))
