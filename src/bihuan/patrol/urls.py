from django.urls import path

from bihuan.patrol import views, views_notices, views_rules, views_stats

app_name = "patrol"
urlpatterns = [
    # board and findings (views)
    path("", views.board, name="board"),
    path("run/", views.run_full, name="run"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:finding_id>/", views.finding_page, name="finding"),
    path("findings/<int:finding_id>/false-alarm/", views.mark_false_alarm, name="false_alarm"),
    path("findings/<int:finding_id>/reopen/", views.reopen_finding, name="reopen"),
    path("findings/<int:finding_id>/dispute/", views.dispute_prompt, name="dispute"),
    # notice register (views_notices)
    path("notices/", views_notices.notice_list, name="notices"),
    path("notices/<int:notice_id>/", views_notices.notice_page, name="notice"),
    path("notices/<int:notice_id>/docx/", views_notices.notice_download, name="notice_docx"),
    path("notices/<int:notice_id>/reply/", views_notices.reply, name="reply"),
    path("notices/<int:notice_id>/verify/", views_notices.verify, name="verify"),
    # rule catalogue and playground (views_rules)
    path("rules/", views_rules.rule_list, name="rules"),
    path("rules/<int:rule_id>/", views_rules.rule_page, name="rule"),
    path("rules/<int:rule_id>/enable/", views_rules.rule_enable, name="rule_enable"),
    path("playground/", views_rules.playground, name="playground"),
    # figures (views_stats)
    path("stats/", views_stats.stats_page, name="stats"),
    path("stats/export/", views_stats.stats_export, name="stats_export"),
    path("stats/cases/", views_stats.stats_cases, name="stats_cases"),
]
