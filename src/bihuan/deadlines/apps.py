from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DeadlinesConfig(AppConfig):
    name = "bihuan.deadlines"
    verbose_name = "办案期限"

    def ready(self) -> None:
        from bihuan.cases.signals import case_scope_changed, case_timeline_changed, cases_loaded
        from bihuan.deadlines.models import HolidayOverride
        from bihuan.deadlines.recompute import on_cases_loaded, on_scope_changed, on_timeline_changed
        from bihuan.deadlines.tasks import queue_recompute

        case_timeline_changed.connect(on_timeline_changed, dispatch_uid="deadlines.recompute_case")
        case_scope_changed.connect(on_scope_changed, dispatch_uid="deadlines.recompute_scope")
        cases_loaded.connect(on_cases_loaded, dispatch_uid="deadlines.recompute_loaded")
        post_save.connect(queue_recompute, sender=HolidayOverride, dispatch_uid="deadlines.holiday_saved")
        post_delete.connect(queue_recompute, sender=HolidayOverride, dispatch_uid="deadlines.holiday_deleted")
