"""Who may join a hosted game: a short code per team, and the facilitator's PIN.

Codes are drawn from letters and digits that cannot be misread (no O/0, I/1) and kept with
the game's save, so a host restarted with `--resume` lets every team back in with the code
it already has. The PIN is kept only as a salted hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from wargame.engine.errors import ReplayError, RuntimeFailure

__all__ = ["ALPHABET", "Access", "access_path"]

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
_ROUNDS = 100_000


def access_path(save: Path) -> Path:
    """Where a hosted game's codes live: beside its save."""
    return save.with_name(save.name + ".codes")


def _hash(pin: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, _ROUNDS).hex()


@dataclass
class Access:
    codes: dict[str, str]  # team (actor id) -> its join code
    pin_salt: str = ""
    pin_hash: str = ""  # empty: no PIN, the facilitator joins with none

    @classmethod
    def new(cls, teams: Iterable[str], pin: str | None) -> Access:
        codes: dict[str, str] = {}
        for team in teams:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            while code in codes.values():
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            codes[team] = code
        salt = secrets.token_bytes(16)
        return cls(codes, salt.hex(), _hash(pin, salt) if pin else "")

    def with_pin(self, pin: str) -> Access:
        """The same codes with a new facilitator PIN."""
        fresh = Access.new([], pin)
        return Access(dict(self.codes), fresh.pin_salt, fresh.pin_hash)

    def team_of(self, team: str, code: str) -> bool:
        """Whether `code` is `team`'s (case and spaces do not matter)."""
        expected = self.codes.get(team)
        given = code.replace(" ", "").upper()
        return expected is not None and hmac.compare_digest(expected, given)

    def facilitator(self, pin: str | None) -> bool:
        if not self.pin_hash:
            return True
        if not pin:
            return False
        return hmac.compare_digest(self.pin_hash, _hash(pin, bytes.fromhex(self.pin_salt)))

    def save(self, path: Path) -> None:
        """Written atomically beside the game's save (only the PIN's hash)."""
        data = {"codes": self.codes, "pin_salt": self.pin_salt, "pin_hash": self.pin_hash}
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            raise RuntimeFailure(f"cannot keep the join codes in {path}: {exc}") from None

    @classmethod
    def load(cls, path: Path) -> Access:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            codes = data["codes"]
            if not isinstance(codes, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in codes.items()
            ):
                raise ValueError("codes must map teams to text")
            return cls(dict(codes), str(data["pin_salt"]), str(data["pin_hash"]))
        except FileNotFoundError:
            raise ReplayError(f"no join codes beside the save ({path})") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReplayError(
                f"{path} is not a game's join codes and facilitator PIN: {exc}"
            ) from None
