"""What people decide about case files: link, reject, reopen, note, verify a catalogue entry."""
