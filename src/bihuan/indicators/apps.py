from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class IndicatorsConfig(AppConfig):
    name = "bihuan.indicators"
    verbose_name = "案件质量指标"

    def ready(self) -> None:
        from bihuan.cases.signals import case_changed, case_timeline_changed, cases_loaded
        from bihuan.indicators.facts import (
            fill_after_migrate,
            on_case_changed,
            on_cases_loaded,
            on_team_changed,
            on_timeline_changed,
        )
        from bihuan.orgs.models import Team

        # The fact table follows every write of a case, in its transaction (docs/indicators.md).
        case_changed.connect(on_case_changed, dispatch_uid="indicators.facts_case")
        case_timeline_changed.connect(on_timeline_changed, dispatch_uid="indicators.facts_timeline")
        cases_loaded.connect(on_cases_loaded, dispatch_uid="indicators.facts_loaded")
        post_save.connect(on_team_changed, sender=Team, dispatch_uid="indicators.facts_team_saved")
        post_delete.connect(on_team_changed, sender=Team, dispatch_uid="indicators.facts_team_deleted")
        post_migrate.connect(fill_after_migrate, sender=self, dispatch_uid="indicators.facts_migrate")
