from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PatrolConfig(AppConfig):
    name = "bihuan.patrol"
    verbose_name = "电子巡逻车"

    def ready(self) -> None:
        from bihuan.cases.signals import case_changed, cases_loaded
        from bihuan.patrol.tasks import queue_case_patrol, queue_loaded_patrol

        case_changed.connect(queue_case_patrol, dispatch_uid="patrol.case_changed")
        cases_loaded.connect(queue_loaded_patrol, dispatch_uid="patrol.cases_loaded")
        post_migrate.connect(sync_builtin, sender=self, dispatch_uid="patrol.sync_builtin")


def sync_builtin(sender, **kwargs) -> None:
    """After migrate, keep the built-in rules in step with catalogue/*.yaml (new ones created,
    unchanged ones updated, those an administrator customised left alone)."""
    from bihuan.patrol.builtin import sync_builtin_rules

    sync_builtin_rules()
