"""Technology loans: lenders ' credit products, eligibility, applications and companies' IP."""
