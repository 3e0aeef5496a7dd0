"""Turning human text into identifiers: URL slugs and heading anchors."""

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’ʼ`]")


@lru_cache(maxsize=4096)  # names repeat on every page: fold each once
def sort_key(text: str) -> str:
    """A key sorting names as a reader expects: "Écologie" between "Eau" and "Fête"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in folded if not unicodedata.combining(char))


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lowercase, hyphen-separated: ``"Réseautage : l'art"`` → ``"reseautage-lart"``.

    Accents are folded (é → e, œ → oe), apostrophes vanish so French elisions stay one word,
    every other run of non-alphanumerics becomes one hyphen.
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = _APOSTROPHES.sub("", folded.lower())
    slug = _NON_WORD.sub("-", folded).strip("-")
    return slug[:max_length].rstrip("-")
