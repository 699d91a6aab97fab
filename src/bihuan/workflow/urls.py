from django.urls import path

from bihuan.workflow import views

app_name = "workflow"

# POST-only actions on one case (the 办案流程 panel); other ids travel in the form.
CASE_ACTIONS = (
    "start_review",
    "propose",
    "submit",
    "decide",
    "record_decision",
    "re_transfer",
    "suspension",
    "suspension_end",
    "jurisdiction",
    "archive",
    "hearing",
    "discussion",
    "joint_meeting",
    "committee_check",
    "committee_decide",
    "duty",
    "mediation",
)

urlpatterns = [
    path("authority/", views.authority_list, name="authority"),
    path("inbox/", views.inbox, name="inbox"),
    path("committee/", views.committee, name="committee"),
    *(path(f"cases/<int:case_id>/{name.replace('_', '-')}/", getattr(views, name), name=name) for name in CASE_ACTIONS),
]
