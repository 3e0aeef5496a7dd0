"""Media: streaming uploads, content-addressed storage, type sniffing."""
