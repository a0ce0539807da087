"""Template records, links, the closed-file catalogue and exports."""
