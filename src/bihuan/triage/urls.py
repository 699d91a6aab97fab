from django.urls import path

from bihuan.triage import views

app_name = "triage"
urlpatterns = [
    path("standard/", views.standard, name="standard"),
    path("ledger/", views.ledger, name="ledger"),
    path("queue/", views.queue, name="queue"),
    path("reassign/", views.bulk_reassign, name="bulk_reassign"),
    path("workload/", views.workload, name="workload"),
    path("workload/pause/", views.pause, name="pause"),
    path("workload/resume/", views.resume, name="resume"),
    path("case/<int:case_id>/run/", views.run_triage, name="run"),
    path("case/<int:case_id>/risk/", views.override_risk, name="override_risk"),
    path("case/<int:case_id>/assign/", views.auto_assign, name="assign"),
    path("case/<int:case_id>/designate/", views.designate, name="designate"),
    path("case/<int:case_id>/reassign/", views.reassign, name="reassign"),
]
