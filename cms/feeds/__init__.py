"""Feeds for other programs: RSS, Atom and JSON Feed, the sitemap, iCalendar."""
