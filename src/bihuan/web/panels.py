"""Feature apps add menu entries and panels to the shared pages without the pages importing them.

A feature app may have a module ``panels.py`` with any of these functions:

    nav(user) -> list[NavItem]                 entries of the left-hand menu
    workbench(request) -> list[Panel]          panels on the person's workbench
    case_panels(request, case) -> list[Panel]  panels on the case page

Each returns only what the person may see; an empty list hides the feature.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    key: str  # URL namespace that marks the entry active
    order: int = 50


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    column: str = "main"  # "main" or "aside" on the case page
    order: int = 50


@cache
def _providers(name: str) -> list:
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "panels") and config.name != __package__:
            function = getattr(import_module(f"{config.name}.panels"), name, None)
            if function is not None:
                found.append(function)
    return found


def nav_items(user) -> list[NavItem]:
    return sorted((item for provide in _providers("nav") for item in provide(user)), key=lambda i: i.order)


def workbench_panels(request) -> list[Panel]:
    return sorted((p for provide in _providers("workbench") for p in provide(request)), key=lambda p: p.order)


def case_panels(request, case) -> list[Panel]:
    return sorted((p for provide in _providers("case_panels") for p in provide(request, case)), key=lambda p: p.order)
