"""Maintainers' accounts: a name and a salted scrypt hash each, one `name:scrypt:n:r:p:salt:hash` line
apiece in a file only its owner may read (QA_BOT_ADMIN_USERS; `qa-bot add-maintainer NAME` writes it).

The maintainers' page signs people in with these, so the history's "by" names who made a change.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from .errors import QABotError

MIN_PASSWORD_CHARS = 12
# scrypt's cost: 16 MiB of memory and some 50 ms per check, which makes a stolen file slow to attack.
COST = {"n": 2**14, "r": 8, "p": 1}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True)
class Account:
    """One maintainer: a name and the scrypt hash of their password."""

    name: str
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def matches(self, password: str) -> bool:
        """Whether `password` is this account's, compared in constant time."""
        return hmac.compare_digest(_scrypt(password, self.salt, self.n, self.r, self.p), self.digest)

    def line(self) -> str:
        return f"{self.name}:scrypt:{self.n}:{self.r}:{self.p}:{self.salt.hex()}:{self.digest.hex()}"


def check_password(password: str, what: str = "The password") -> str:
    """`password` when it is fit for the maintainers' page; else a QABotError saying why (never stripped)."""
    if password != password.strip():
        raise QABotError(f"{what} begins or ends with spaces; give it without them (nothing is stripped silently).")
    if len(password) < MIN_PASSWORD_CHARS:
        raise QABotError(
            f"{what} has {len(password)} characters; the maintainers' page needs at least {MIN_PASSWORD_CHARS}."
        )
    return password


def new_account(name: str, password: str) -> Account:
    """An account for `name` with a fresh salt; refuses a bad name or a weak password."""
    if not _NAME.fullmatch(name):
        raise QABotError(f"{name!r} is not a maintainer name: use letters, digits, '.', '_', '@' or '-' (at most 64).")
    check_password(password)
    salt = secrets.token_bytes(16)
    return Account(name, COST["n"], COST["r"], COST["p"], salt, _scrypt(password, salt, **COST))


def read_accounts(path: Path) -> dict[str, Account]:
    """The accounts in `path`, by name; a QABotError naming the line that is not an account."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QABotError(f"{path}: no such maintainers file; create it with `qa-bot add-maintainer NAME`.") from None
    accounts = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(":")
        try:
            name, kind, n, r, p, salt, digest = parts
            if kind != "scrypt" or not _NAME.fullmatch(name):
                raise ValueError
            accounts[name] = Account(name, int(n), int(r), int(p), bytes.fromhex(salt), bytes.fromhex(digest))
        except ValueError:
            raise QABotError(
                f"{path}, line {number}: not a maintainer account (name:scrypt:n:r:p:salt:hash); "
                "recreate it with `qa-bot add-maintainer NAME`."
            ) from None
    return accounts


def save_account(path: Path | None, account: Account) -> bool:
    """Add `account` to `path` (or change its password); True when the name is new. Written whole, mode 0600."""
    if path is None:
        raise QABotError("Set QA_BOT_ADMIN_USERS to the maintainers' file (for example /srv/qa_bot/maintainers).")
    accounts = read_accounts(path) if path.exists() else {}
    is_new = account.name not in accounts
    accounts[account.name] = account
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("".join(f"{a.line()}\n" for a in accounts.values()))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    return is_new


def verify(accounts: dict[str, Account], name: str, password: str) -> bool:
    """Whether `name` and `password` sign in; an unknown name costs one scrypt too, so timing tells nothing."""
    account = accounts.get(name)
    if account is None:
        _scrypt(password, b"\0" * 16, **COST)
        return False
    return account.matches(password)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p, maxmem=64 * 2**20,
                          dklen=32)
