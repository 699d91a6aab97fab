from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "bihuan.workflow"
    verbose_name = "办案流程与审批"
