"""Moving a site in and out: archives, and imports from WordPress."""
