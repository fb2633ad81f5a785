"""Official lists: government lists imported by staff, and the facts they verify."""
