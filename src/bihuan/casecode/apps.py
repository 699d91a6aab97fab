from django.apps import AppConfig


class CasecodeConfig(AppConfig):
    name = "bihuan.casecode"
    verbose_name = "案件码"

    def ready(self) -> None:
        from bihuan.casecode.features import register
        from bihuan.casecode.scope import on_cases_loaded, on_scope_changed
        from bihuan.cases.signals import case_scope_changed, cases_loaded

        register()  # the colour as a triage feature (bihuan.triage.features)
        case_scope_changed.connect(on_scope_changed, dispatch_uid="casecode.scope_changed")
        cases_loaded.connect(on_cases_loaded, dispatch_uid="casecode.cases_loaded")
