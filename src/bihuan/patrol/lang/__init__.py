"""The patrol language (docs/patrol.md): checking a rule definition, compiling it to one
set-based query (sql.py) and evaluating it over one case in memory (memory.py), with rules over
the monthly report figures (report.py)."""

from bihuan.patrol.lang.check import RuleError, check_definition
from bihuan.patrol.lang.memory import CaseSnapshot, load_case, memory_hits
from bihuan.patrol.lang.report import report_hits
from bihuan.patrol.lang.sql import sql_details, sql_hits
from bihuan.patrol.lang.values import Compiled, Detail, compile_rule

__all__ = [
    "CaseSnapshot",
    "Compiled",
    "Detail",
    "RuleError",
    "check_definition",
    "compile_rule",
    "load_case",
    "memory_hits",
    "report_hits",
    "sql_details",
    "sql_hits",
]
