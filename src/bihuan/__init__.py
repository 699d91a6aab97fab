"""Bihuan 闭环: closed-loop criminal case management for a procuratorate."""
