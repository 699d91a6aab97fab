"""Text and field extraction from uploaded legal documents (法律文书).

`read_text` turns uploaded bytes into text (DOCX, PDF text layer, TXT) or refuses the file with
a reason; `extract_fields` finds the structured fields of a document kind in that text, each
with the span of text it came from. The field vocabulary is documented in docs/extraction.md.
"""

from bihuan.documents.extract.fields import FIELD_LABELS, Field, extract_fields
from bihuan.documents.extract.files import MAX_BYTES, Rejected, read_text

__all__ = ["FIELD_LABELS", "MAX_BYTES", "Field", "Rejected", "extract_fields", "read_text"]
