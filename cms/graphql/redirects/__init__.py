"""Old addresses of the site and where they lead now."""
