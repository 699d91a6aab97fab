from django.urls import path  # noqa: F401

from bihuan.casecode import views, views_review, views_share, views_stats  # noqa: F401

app_name = "casecode"
urlpatterns = [
    # scoring (views)
    path("", views.code_list, name="list"),
    path("cases/<int:case_id>/", views.case_code, name="case"),
    path("cases/<int:case_id>/score/", views.score, name="score"),
    path("cases/<int:case_id>/score/preview/", views.score_preview, name="score_preview"),
    # sharing and scanning (views_share)
    path("s/<str:signed>/", views_share.scan, name="scan"),
    path("cases/<int:case_id>/share/qr.png", views_share.qr_png_file, name="share_png"),
    path("cases/<int:case_id>/share/qr.svg", views_share.qr_svg_file, name="share_svg"),
    path("cases/<int:case_id>/share/notice/", views_share.notice, name="share_notice"),
    path("cases/<int:case_id>/share/issue/", views_share.issue_link, name="share_issue"),
    path("cases/<int:case_id>/share/revoke/", views_share.revoke_link, name="share_revoke"),
    # investigators, reviews, reminders, intake gate (views_review)
    path("agency/", views_review.agency_list, name="agency"),
    path("agency/<int:case_id>/", views_review.agency_case, name="agency_case"),
    path("agency/<int:case_id>/review/", views_review.file_review, name="review_file"),
    path("cases/<int:case_id>/review/decide/", views_review.decide_review, name="review_decide"),
    path("cases/<int:case_id>/consultation/", views_review.record_consultation, name="consultation"),
    path("due/", views_review.due_list, name="due"),
    path("gate/", views_review.gate, name="gate"),
    path("gate/<int:case_id>/decide/", views_review.gate_decide, name="gate_decide"),
    path("gate/<int:case_id>/notice/", views_review.gate_notice, name="gate_notice"),
    # statistics (views_stats)
    path("stats/", views_stats.stats_page, name="stats"),
    path("stats/export/", views_stats.stats_export, name="stats_export"),
    path("stats/cases/", views_stats.stats_cases, name="stats_cases"),
]
