"""The bot tests' opened Tipline (real SQLite, real crypto, one reviewer key), reused here."""

from tests.bot.conftest import NOW, Clock, Env, env, reviewer_key

__all__ = ["NOW", "Clock", "Env", "env", "reviewer_key"]
