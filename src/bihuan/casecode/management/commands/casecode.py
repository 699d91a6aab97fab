"""`bihuan casecode list [--colour red|yellow|green] [--org CODE] [--json]`: the evaluated cases
with their number, score and colour; `bihuan casecode qr CASE_NUMBER --out FILE.png`: write the
QR code of the case's live link, issuing one when it has none."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bihuan.casecode.actions import do_issue_link
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import CaseCode, Colour
from bihuan.casecode.qr import qr_png
from bihuan.casecode.sharing import current_link, link_url
from bihuan.cases.models import Case
from bihuan.cases.numbering import normalise_dept_case_no
from bihuan.orgs.models import Organisation, User

LIST_FIELDS = {
    "case__dept_case_no": "dept_case_no",
    "case__org__code": "org",
    "score": "score",
    "colour": "colour",
    "current__evaluated_at": "evaluated_at",
    "reevaluate_by": "reevaluate_by",
}


class Command(BaseCommand):
    help = "案件码：列出已评分案件（list），或输出案件的案件码二维码（qr）。"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,qr}")
        listing = sub.add_parser("list", help="列出已评分案件的部门受案号、得分和颜色")
        listing.add_argument("--colour", choices=Colour.values, help="只列出该颜色：red 红码、yellow 黄码、green 绿码")
        listing.add_argument("--org", metavar="CODE", help="只列出该单位编码的检察院及其下级院的案件")
        listing.add_argument("--json", action="store_true", help="输出 JSON 数组")
        qr = sub.add_parser("qr", help="把案件现行案件码链接的二维码写入 PNG 文件（没有有效链接时生成一个）")
        qr.add_argument("case_number", metavar="CASE_NUMBER", help="部门受案号")
        qr.add_argument("--out", metavar="FILE.png", required=True, help="写入的 PNG 文件")
        qr.add_argument("--user", metavar="USERNAME", help="需要生成链接时，以该人员名义生成（默认为案件的承办检察官）")

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            self._list(options)
        else:
            self._qr(options)

    def _list(self, options) -> None:
        codes = CaseCode.objects.order_by("case__dept_case_no")
        if options["colour"]:
            codes = codes.filter(colour=options["colour"])
        if options["org"]:
            org = Organisation.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"没有单位编码为 {options['org']} 的检察院。")
            codes = codes.filter(case__org__path__startswith=org.path)
        rows = codes.values_list(*LIST_FIELDS).iterator(chunk_size=2_000)
        if options["json"]:
            self._json(rows)
            return
        labels = dict(Colour.choices)
        self.stdout.write(f"{'部门受案号':<40}{'得分':>6}  颜色")
        count = 0
        for number, _org, score, colour, *_ in rows:
            self.stdout.write(f"{number:<40}{score:>8}  {labels[colour]}")
            count += 1
        self.stdout.write(f"共 {count} 件已评分案件。")

    def _json(self, rows) -> None:
        """A JSON array, written a row at a time (a city's cases need not sit in memory)."""
        self.stdout.write("[", ending="")
        for n, row in enumerate(rows):
            record = dict(zip(LIST_FIELDS.values(), row, strict=True))
            record["score"] = float(record["score"])
            record["evaluated_at"] = record["evaluated_at"].isoformat()
            record["reevaluate_by"] = record["reevaluate_by"] and record["reevaluate_by"].isoformat()
            self.stdout.write(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False), ending="")
        self.stdout.write("\n]")

    def _qr(self, options) -> None:
        number = normalise_dept_case_no(options["case_number"])
        case = Case.objects.select_related("org", "prosecutor").filter(dept_case_no=number).first()
        if case is None:
            raise CommandError(f"没有部门受案号为 {number} 的案件。")
        link = current_link(case)
        if link is None:
            link = self._issue(case, options["user"])
        Path(options["out"]).write_bytes(qr_png(link_url(link)))
        self.stdout.write(self.style.SUCCESS(f"已写入 {options['out']}：{link_url(link)}"))

    def _issue(self, case: Case, username: str | None):
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"没有用户名为 {username} 的人员。")
        elif case.prosecutor is None:
            raise CommandError("该案件没有承办检察官，请用 --user 指定生成链接的人员。")
        else:
            actor = case.prosecutor
        try:
            link = do_issue_link(case, actor=actor)
        except CodeRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write("该案件没有有效链接，已生成新链接。")
        return link
