from bihuan.cases.access import can_edit_case
from bihuan.documents.access import case_documents
from bihuan.documents.actions import upload_limit
from bihuan.documents.forms import UploadForm
from bihuan.web.panels import Panel


def documents_context(request, case, form: UploadForm | None = None) -> dict:
    """The documents list of a case and, for those who edit the case, its upload form. The
    caller has already checked that the person may see the case."""
    return {
        "documents": case_documents(case),
        "can_upload": can_edit_case(request.user, case),
        "form": form or UploadForm(),
        "limit_mb": upload_limit() // (1024 * 1024),
    }


def case_panels(request, case) -> list[Panel]:
    """The case's legal documents (法律文书) on the case page."""
    return [Panel("documents/_panel.html", documents_context(request, case), column="main", order=60)]
