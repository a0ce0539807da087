"""What casescan prints on paper and later reads back, defined once for the printer and the reader."""

# The text a location sheet's QR code starts with: `casescan locationsheet` prints it and the
# scanner reads it, so both take it from here.
LOCATION_PREFIX = "CASESCAN-LOCATION:"
