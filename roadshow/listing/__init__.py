"""The listing track: 上市后备企业 tags and each company's listing-readiness checklist."""
