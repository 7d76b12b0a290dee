"""Write access for the web app: bearer tokens configured at start, kept only as scrypt hashes.

The server is read-only unless tokens are given when it starts (``--token-file``, the
``EVENTCODER_TOKEN`` environment variable, or ``create_app(token=...)``). A token line is either

* ``SECRET`` (the reviewer is recorded as ``reviewer``),
* ``NAME:SECRET`` (the reviewer is recorded as NAME), or
* ``NAME:scrypt:SALT_HEX:HASH_HEX``, a hash made by ``eventcoder token-hash`` so that the file on
  disk holds no plain-text secret either.

Plain-text secrets are hashed with :func:`hashlib.scrypt` (random per-process salt) as soon as
they are read and the plain text is dropped; presented tokens are hashed the same way and compared
with :func:`hmac.compare_digest`. Clients send ``Authorization: Bearer <secret>``; no cookie is
ever set, so a cross-site form cannot act for an analyst (CSRF-safe by construction).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path

# scrypt cost: ~30 ms and 16 MiB per check on one core; slow enough to make guessing costly,
# quick enough for interactive review.
_N, _R, _P = 2**14, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_HASHED = re.compile(r"^scrypt:([0-9a-f]{32}):([0-9a-f]{64})$")


def scrypt_hash(secret: str, salt: bytes) -> bytes:
    """The 32-byte scrypt hash of ``secret`` with ``salt`` (the parameters of this module)."""
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 2**20, dklen=32)


def hash_line(name: str, secret: str) -> str:
    """A token-file line ``NAME:scrypt:SALT:HASH`` for ``secret`` (the file then holds no plain text)."""
    if not _NAME.match(name):
        raise ValueError("reviewer name: 1-64 letters, digits or _ . @ -")
    if len(secret) < 8:
        raise ValueError("a token must have at least 8 characters")
    salt = os.urandom(16)
    return f"{name}:scrypt:{salt.hex()}:{scrypt_hash(secret, salt).hex()}"


@dataclass(frozen=True)
class _Entry:
    name: str
    salt: bytes
    digest: bytes


class TokenAuth:
    """Checks bearer tokens against the scrypt hashes of the configured ones."""

    def __init__(self, lines: list[str] | None = None) -> None:
        entries: list[_Entry] = []
        for raw in lines or []:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            entries.append(self._parse(line))
        self._entries = tuple(entries)

    @staticmethod
    def _parse(line: str) -> _Entry:
        name, sep, rest = line.partition(":")
        if sep and _NAME.match(name) and rest:
            m = _HASHED.match(rest)
            if m:
                return _Entry(name, bytes.fromhex(m.group(1)), bytes.fromhex(m.group(2)))
            secret = rest
        else:
            name, secret = "reviewer", line
        if len(secret) < 8:
            raise ValueError("a token must have at least 8 characters")
        salt = os.urandom(16)
        return _Entry(name, salt, scrypt_hash(secret, salt))

    @classmethod
    def from_sources(
        cls, token: str | None = None, token_file: str | Path | None = None, env: bool = True
    ) -> TokenAuth:
        """Tokens from an explicit value, a file (one per line) and/or ``$EVENTCODER_TOKEN``."""
        lines: list[str] = []
        if token:
            lines.append(token)
        if token_file:
            lines.extend(Path(token_file).read_text(encoding="utf-8").splitlines())
        if env and not token and not token_file and os.environ.get("EVENTCODER_TOKEN"):
            lines.append(os.environ["EVENTCODER_TOKEN"])
        return cls(lines)

    @property
    def enabled(self) -> bool:
        """True when at least one token is configured (otherwise the server is read-only)."""
        return bool(self._entries)

    def check(self, presented: str | None) -> str | None:
        """The reviewer name for a presented secret, or None if it matches no configured token."""
        if not presented or not self._entries or len(presented) > 1024:
            return None
        found: str | None = None
        for entry in self._entries:
            # every entry is checked, so timing does not tell which one matched
            if hmac.compare_digest(scrypt_hash(presented, entry.salt), entry.digest) and found is None:
                found = entry.name
        return found

    def check_header(self, authorization: str | None) -> str | None:
        """The reviewer name for an ``Authorization: Bearer <secret>`` header value, or None."""
        if not authorization:
            return None
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.check(value.strip())
