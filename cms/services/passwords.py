"""Password hashing with argon2id (RFC 9106), through argon2-cffi.

A hash carries its own parameters, so stronger settings in a later release apply to new hashes
while old ones keep verifying (and are rehashed at the next sign-in). Hashing costs tens of
milliseconds of CPU and 64 MiB on purpose: it runs in a worker thread so that a sign-in never
stalls the event loop serving everyone else.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
# Long enough for any passphrase or manager-generated password, short enough that nobody can
# make the server hash megabytes.
MAX_LENGTH = 1024

_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory profile
# Verified when the email matches no account, so that a wrong email costs what a wrong password
# does and the answer's timing tells nothing.
_DECOY = _hasher.hash("a decoy that no account uses")


class WeakPassword(ValueError):
    """A password that cannot be set, with the reason."""


def check(password: str) -> None:
    """Refuse passwords that are too short or too long (NIST SP 800-63B: length, not rules)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"A password has at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"A password has at most {MAX_LENGTH} characters.")


async def hash_password(password: str) -> str:
    check(password)
    return await asyncio.to_thread(_hasher.hash, password)


async def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; with no hash, a decoy is verified instead."""
    if len(password) > MAX_LENGTH:
        password = password[:MAX_LENGTH]  # the same cost as any refused attempt
    return await asyncio.to_thread(_verify, stored, password)


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DECOY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
