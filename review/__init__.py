"""The review web page where safeguarding leads confirm or correct the links the service was unsure of."""
