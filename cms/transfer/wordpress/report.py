"""What the operator asks of an import (`ImportOptions`), what it tells them back (`Report`),
and the error for an export that cannot be brought in as asked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


class WordPressImportError(ValueError):
    """An export that can be read but not brought in as asked (a language with no locale)."""


@dataclass(frozen=True)
class ImportOptions:
    uploads: Path | None = None
    # WordPress language (Polylang slug such as "fr", or locale such as "fr_CA") → Cinq locale.
    locale_map: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False


@dataclass
class Report:
    """What an import did (or, in a dry run, would do), for the operator."""

    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    # (what, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # (the post or object concerned, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, subject: str, message: str) -> None:
        self.warnings.append((subject, message))

    def render(self) -> str:
        lines = ["Dry run: nothing was written." if self.dry_run else "Import finished."]
        lines.append("")
        width = max((len(k) for k in self.counts), default=0)
        lines += [f"  {key.ljust(width)}  {self.counts[key]}" for key in sorted(self.counts)]
        if self.skipped:
            lines += ["", f"Skipped ({len(self.skipped)}):"]
            lines += [f"  - {what}: {why}" for what, why in self.skipped]
        if self.warnings:
            lines += ["", f"Warnings ({len(self.warnings)}):"]
            lines += [f"  - {subject}: {message}" for subject, message in self.warnings]
        return "\n".join(lines) + "\n"
