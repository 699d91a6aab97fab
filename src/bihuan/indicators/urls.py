from django.urls import path

from bihuan.indicators import views, views_compare, views_dashboards, views_reports
from bihuan.indicators.reports import REPORTS

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    # The drill-down takes the indicator and part in the query string with the scope and
    # period, like every other parameter of the page.
    path("cases/", views.cases, name="cases"),
    # reports (views_reports)
    path("reports/", views_reports.report_index, name="report_index"),
    path("reports/export/", views_reports.report_export, name="report_export"),
    path("reports/cases/", views_reports.report_cases, name="report_cases"),
    *(path(f"reports/{r.slug}/", views_reports.report_page, {"slug": r.slug}, name=r.url_name) for r in REPORTS),
    # dashboards (views_dashboards)
    path("dashboards/", views_dashboards.trends, name="dashboards"),
    path("dashboards/targets/", views_dashboards.targets, name="dashboard_targets"),
    path("dashboards/teams/", views_dashboards.teams, name="dashboard_teams"),
    path("dashboards/contribution/", views_dashboards.contribution, name="dashboard_contribution"),
    path("dashboards/contribution/cases/", views_dashboards.contribution_cases, name="dashboard_cases"),
    # reported figures against the cases (views_compare)
    path("reported/", views_compare.compare, name="compare"),
]
