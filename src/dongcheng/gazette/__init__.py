"""The gazette itself (SPEC §2.7): issues, their table of contents, documents and clauses; every basis links here."""
