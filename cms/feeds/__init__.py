"""Feeds for other programs: iCalendar (and, later, RSS, Atom, JSON Feed, sitemaps)."""
