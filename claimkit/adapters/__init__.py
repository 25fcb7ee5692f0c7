"""The outside world: database, PDF files, barcode decoders, mail, storage."""
