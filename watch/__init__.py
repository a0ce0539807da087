"""The watched-folder service: notice scans in the inbox, process each exactly once, move it on."""
