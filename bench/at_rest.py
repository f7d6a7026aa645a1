"""Sealing and opening a 2 KB draft at rest: per-blob keys against one fixed key.

.venv/bin/python -m bench.at_rest
"""

from __future__ import annotations

import os
import timeit

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from bot.serverkeys import ServerKeys

ROW = b"r" * 32


def main() -> None:
    keys = ServerKeys.derive(bytes(32))
    draft = os.urandom(2000)
    blob = keys.seal_at_rest(draft, ROW)
    fixed = ChaCha20Poly1305(keys.draft)

    def fixed_seal() -> bytes:
        nonce = os.urandom(12)
        return nonce + fixed.encrypt(nonce, draft, ROW)

    old = fixed_seal()
    cases = {
        "per-blob key, seal": lambda: keys.seal_at_rest(draft, ROW),
        "per-blob key, open": lambda: keys.open_at_rest(blob, ROW),
        "one fixed key, seal": fixed_seal,
        "one fixed key, open": lambda: fixed.decrypt(old[:12], old[12:], ROW),
    }
    for name, case in cases.items():
        best = min(timeit.repeat(case, number=20_000, repeat=5)) / 20_000
        print(f"{name}: {best * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
