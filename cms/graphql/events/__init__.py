"""Events, their occurrences, organizers and venues."""
