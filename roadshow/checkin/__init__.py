"""Check-in at the door: each booking's QR code, scanned or typed by staff, records one attendance."""
