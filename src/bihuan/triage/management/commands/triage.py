"""`bihuan triage [--all] [--org CODE]`: apply the triage standard in force to many cases at once
(after a bulk load), batch by batch with progress."""

from django.core.management.base import BaseCommand, CommandError

from bihuan.cases.choices import OPEN_STAGES, Track
from bihuan.cases.models import Case
from bihuan.orgs.models import Organisation
from bihuan.triage.actions import do_triage_many

# Cases per transaction: each batch commits on its own, so an interrupted run keeps its progress.
BATCH = 2_000


class Command(BaseCommand):
    help = "按现行繁简分流标准和风险等级规则，批量判断在办案件的繁简和风险等级（默认只处理尚未分流的案件）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="重新判断全部在办案件（含已分流的）")
        parser.add_argument("--org", help="只处理该单位编码的检察院（含下级院）")

    def handle(self, *args, **options) -> None:
        cases = Case.objects.filter(stage__in=OPEN_STAGES)
        if not options["all"]:
            cases = cases.filter(track=Track.UNSORTED)
        if options["org"]:
            org = Organisation.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"没有单位编码为 {options['org']} 的检察院。")
            cases = cases.filter(org__path__startswith=org.path)
        ids = list(cases.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            done += do_triage_many(ids[start : start + BATCH])
            self.stdout.write(f"已分流 {done}/{len(ids)} 件")
        self.stdout.write(self.style.SUCCESS(f"完成：共分流 {done} 件案件。"))
