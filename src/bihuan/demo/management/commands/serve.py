"""`bihuan serve`: the application over HTTP with waitress, static files through WhiteNoise."""

from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application
from waitress import create_server


class Command(BaseCommand):
    help = "以 waitress 提供 Web 服务（静态文件由应用自身提供）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")
        parser.add_argument(
            "--trusted-proxy",
            default=None,
            help="前置反向代理的地址；设置后采信其 X-Forwarded-For/-Proto/-Host 头（HTTPS 终止于代理时需要）",
        )

    def handle(self, *args, host: str, port: int, threads: int, trusted_proxy: str | None, **options) -> None:
        proxy = {}
        if trusted_proxy:
            proxy = {
                "trusted_proxy": trusted_proxy,
                "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto x-forwarded-host",
                "clear_untrusted_proxy_headers": True,
            }
        server = create_server(get_wsgi_application(), host=host, port=port, threads=threads, ident="bihuan", **proxy)
        # A name such as "localhost" may listen on several addresses; a single socket has one.
        listen = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
        for address, bound_port in listen:
            shown = f"[{address}]" if ":" in address else address
            self.stdout.write(f"闭环已启动：http://{shown}:{bound_port}/ （{threads} 个线程，按 Ctrl+C 停止）")
        self.stdout.flush()
        try:
            server.run()
        except KeyboardInterrupt:
            self.stdout.write("已停止。")
