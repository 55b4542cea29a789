"""工作日 working days (SPEC §3) and the platform's date helpers: the State Council's holiday schedule, the
chinese-calendar package, an estimate marked provisional beyond both; ``dates`` for whole years, months and ISO
times. Import it as ``dongcheng.calendar`` — the standard library's ``calendar`` is a different module."""
