"""The deal pipeline per (institution, project): interest → meeting held → due diligence → term sheet → signed, or dropped."""
