#!/usr/bin/env python3
"""A stand-in for books.toscrape.com: pages in the real site's markup, the truth about every
row, and an HTTP server on 127.0.0.1 that can be slow or fail on purpose.

    bookshop.py generate DIR [--pages 50] [--seed 1]   write DIR/catalogue/page-N.html, DIR/truth.json
    bookshop.py serve DIR [--port 0]                   serve DIR until killed (writes DIR/port)
    bookshop.py start DIR [--port 0]                   generate if needed, serve in the background
    bookshop.py stop DIR                               stop what `start` started (by its pid)

URLs, http://127.0.0.1:PORT/<variant>/catalogue/page-N.html, by variant:
    site        the page as generated
    slow<MS>    the page after MS milliseconds (slow100: 100 ms of latency a page)
    faulty      the page, except FAULTS below: 404, 500, a stalled response, truncated HTML,
                a page without books, a PNG instead of HTML, a page declared UTF-32 that is not
    flaky-<ID>  503 on the first request for each page under this ID, the page afterwards
    agent-<UA>  the page when the request's User-Agent is UA, otherwise 403
    mangled     the page, except MANGLED below: a title with bytes that are not UTF-8, and one
                with a NUL byte inside it
    endless     a 200 whose body never ends: it streams until the client hangs up
Any page number beyond the generated ones is a 404, as on the real site.
"""
import argparse
import html
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOOKS_PER_PAGE = 20
FAULTS = {3: "404", 5: "500", 7: "stall", 11: "truncated", 13: "empty", 17: "png", 19: "charset"}
FAULT_REASONS = {  # what the scraper must say about each, as a substring
    "404": "HTTP 404",
    "500": "HTTP 500",
    "stall": "Timeout",
    "truncated": "malformed HTML",
    "empty": "no books",
    "png": "not HTML",
    "charset": "not in the charset its server declared (UTF-32)",
}

# Pages whose one book's title gets bytes put in front of it: (book index, bytes, U+FFFD's the
# scraper must put in their place).
MANGLED = {2: (0, b"\xed\xa0\x80", 3), 4: (7, b"\x00", 1)}
REPLACEMENT = "\ufffd"

WORDS = ["Light", "Attic", "Velvet", "Sharp", "Objects", "Soumission", "Tipping", "Point", "Requiem", "Red",
         "Dirty", "Little", "Secrets", "Coming", "Woman", "Boys", "Boat", "Black", "Maria", "Starving",
         "Hearts", "Shakespeare", "Sonnets", "Set", "Me", "Free", "Scott", "Pilgrim", "Rat", "Race"]
FLAVOURS = [  # what makes CSV and encodings hard: commas, quotes, non-ASCII letters, markup
    "{}, and {}", '"{}" {}', "{}: l'été à {}", "Über {} & {}", "{} — naïve {}", "日本の{} {}",
    "{}, \"{}\", and more", "{} <{}>", "Ça {} {}", "{} {}"]


def generate(directory, pages, seed):
    rng = random.Random(seed)
    truth = {}
    os.makedirs(os.path.join(directory, "catalogue"), exist_ok=True)
    for page in range(1, pages + 1):
        rows = []
        for k in range(BOOKS_PER_PAGE):
            number = (page - 1) * BOOKS_PER_PAGE + k + 1
            title = rng.choice(FLAVOURS).format(rng.choice(WORDS), rng.choice(WORDS)) + f" (No. {number})"
            pence = rng.randrange(1000, 6000)
            in_stock = rng.random() > 0.15
            rows.append({"title": title, "price": f"£{pence // 100}.{pence % 100:02d}", "in_stock": in_stock,
                         "pence": pence})
        truth[page] = rows
        with open(os.path.join(directory, "catalogue", f"page-{page}.html"), "w", encoding="utf-8") as f:
            f.write(render(page, pages, rows))
    with open(os.path.join(directory, "truth.json"), "w", encoding="utf-8") as f:
        json.dump({"pages": pages, "books_per_page": BOOKS_PER_PAGE, "rows": truth}, f, ensure_ascii=False)


def render(page, pages, rows):
    """The markup of http://books.toscrape.com/catalogue/page-N.html, trimmed to what matters."""
    items = []
    for row in rows:
        title = row["title"]
        short = title if len(title) <= 20 else title[:17] + "..."
        stock = ('<p class="instock availability">\n        <i class="icon-ok"></i>\n        In stock\n    </p>'
                 if row["in_stock"] else
                 '<p class="outofstock availability">\n        <i class="icon-remove"></i>\n        Out of stock\n    </p>')
        items.append(f"""
            <li class="col-xs-6 col-sm-4 col-md-3 col-lg-3">
    <article class="product_pod">
            <div class="image_container">
                    <a href="book_{id(row)}/index.html"><img src="../media/cache/x.jpg" alt="{html.escape(title)}" class="thumbnail"></a>
            </div>
                <p class="star-rating Three">
                    <i class="icon-star"></i>
                </p>
            <h3><a href="book/index.html" title="{html.escape(title)}">{html.escape(short)}</a></h3>
            <div class="product_price">
        <p class="price_color">{row["price"]}</p>
    {stock}
    <form><button type="submit" class="btn btn-primary btn-block" data-loading-text="Adding...">Add to basket</button></form>
            </div>
    </article>
</li>""")
    return f"""<!DOCTYPE html>
<!--[if lt IE 7]>      <html lang="en-us" class="no-js lt-ie9 lt-ie8 lt-ie7"> <![endif]-->
<html lang="en-us" class="no-js">
    <head>
        <title>All products | Books to Scrape - Sandbox</title>
        <meta http-equiv="content-type" content="text/html; charset=UTF-8" />
    </head>
    <body id="default" class="default">
        <header class="header container-fluid"><div class="page_inner"><a href="../index.html">Books to Scrape</a></div></header>
        <div class="container-fluid page"><div class="page_inner">
            <div class="page-header action"><h1>All products</h1></div>
            <section>
                <div class="alert alert-warning" role="alert"><strong>Warning!</strong> This is a demo website.</div>
                <div>
                    <ol class="row">{''.join(items)}
                    </ol>
                    <div><ul class="pager"><li class="current">Page {page} of {pages}</li></ul></div>
                </div>
            </section>
        </div></div>
    </body>
</html>
"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write, flushed after each request
    flaky_seen = set()
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/html; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def endless(self):
        """A 200 whose body never ends: it streams until the client hangs up (or the server stops)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"the page goes on " * 4000 + b"</p>\n"
        try:
            while not self.server.stopping.is_set():
                self.wfile.write(chunk)
        except OSError:  # the client hung up: what it must do
            pass
        self.close_connection = True

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) != 3 or parts[1] != "catalogue" or not parts[2].startswith("page-"):
            return self.send(404, b"<html><body>Not found</body></html>")
        variant, name = parts[0], parts[2]
        try:
            page = int(name[len("page-"):-len(".html")])
        except ValueError:
            return self.send(404, b"<html><body>Not found</body></html>")
        if variant == "endless":
            return self.endless()
        path = os.path.join(self.server.root, "catalogue", f"page-{page}.html")
        if not os.path.exists(path):
            return self.send(404, b"<html><body>404 Not Found</body></html>")
        with open(path, "rb") as f:
            body = f.read()

        if variant.startswith("slow"):
            time.sleep(int(variant[4:] or 0) / 1000)
        elif variant == "faulty" and page in FAULTS:
            fault = FAULTS[page]
            if fault == "404":
                return self.send(404, b"<html><body>404 Not Found</body></html>")
            if fault == "500":
                return self.send(500, b"<html><body>Internal Server Error</body></html>")
            if fault == "stall":  # headers and a little of the body, then nothing
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:200])
                self.wfile.flush()
                self.server.stopping.wait(60)
                self.close_connection = True
                return
            if fault == "truncated":  # cut in the middle of the eighth book, after its title
                cut = body.index(b"<h3>", body.index(b"product_pod") + 1)
                for _ in range(7):
                    cut = body.index(b"<h3>", cut + 1)
                return self.send(200, body[:cut + 60])
            if fault == "empty":
                start, end = body.index(b'<ol class="row">'), body.index(b"</ol>")
                return self.send(200, body[:start] + b'<ol class="row">' + body[end:])
            if fault == "png":
                return self.send(200, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(64), "image/png")
            if fault == "charset":  # UTF-8 bytes, declared UTF-32: libxml2 cannot convert them
                return self.send(200, body, "text/html; charset=UTF-32")
        elif variant.startswith("flaky-"):
            with Handler.lock:
                first = (variant, page) not in Handler.flaky_seen
                Handler.flaky_seen.add((variant, page))
            if first:
                return self.send(503, b"<html><body>Service Unavailable</body></html>")
        elif variant == "mangled" and page in MANGLED:
            book, inserted, _ = MANGLED[page]
            at = -1
            for _ in range(book + 1):
                at = body.index(b'<h3><a href="book/index.html" title="', at + 1)
            at += len(b'<h3><a href="book/index.html" title="')
            body = body[:at] + inserted + body[at:]
        elif variant.startswith("agent-"):
            if self.headers.get("User-Agent") != variant[len("agent-"):]:
                return self.send(403, b"<html><body>Forbidden</body></html>")
        elif variant not in ("site", "faulty", "mangled"):
            return self.send(404, b"<html><body>Not found</body></html>")
        self.send(200, body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default, 5, drops the SYNs of a burst of connections


def serve(directory, port):
    server = Server(("127.0.0.1", port), Handler)
    server.root = directory
    server.stopping = threading.Event()

    def stop(*_):
        server.stopping.set()
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with open(os.path.join(directory, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    server.serve_forever(poll_interval=0.1)
    server.server_close()


def start(directory, port, pages, seed):
    if not os.path.exists(os.path.join(directory, "truth.json")):
        generate(directory, pages, seed)
    stop(directory, quiet=True)
    for stale in ("port", "pid"):
        if os.path.exists(os.path.join(directory, stale)):
            os.remove(os.path.join(directory, stale))
    log = open(os.path.join(directory, "server.log"), "w")
    process = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", directory, "--port", str(port)],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    with open(os.path.join(directory, "pid"), "w") as f:
        f.write(str(process.pid))
    for _ in range(100):
        if os.path.exists(os.path.join(directory, "port")):
            port = int(open(os.path.join(directory, "port")).read())
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                print(f"bookshop: serving {directory} on http://127.0.0.1:{port}/ (pid {process.pid})")
                return 0
        if process.poll() is not None:
            break
        time.sleep(0.05)
    print(f"bookshop: the server did not start; see {directory}/server.log", file=sys.stderr)
    return 1


def stop(directory, quiet=False):
    """Stops the server that `start` recorded, by pid, after checking the pid is still it."""
    try:
        pid = int(open(os.path.join(directory, "pid")).read())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"bookshop.py" not in f.read():
                raise ProcessLookupError
        os.kill(pid, signal.SIGTERM)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        if not quiet:
            print(f"bookshop: no server of {directory} is running")
        return 0
    for _ in range(100):
        if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
    os.remove(os.path.join(directory, "pid"))
    if not quiet:
        print(f"bookshop: stopped the server of {directory} (pid {pid})")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("generate", "serve", "start", "stop"):
        p = sub.add_parser(name)
        p.add_argument("directory")
        if name in ("generate", "start"):
            p.add_argument("--pages", type=int, default=50)
            p.add_argument("--seed", type=int, default=1)
        if name in ("serve", "start"):
            p.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    directory = os.path.abspath(args.directory)
    if args.command == "generate":
        generate(directory, args.pages, args.seed)
    elif args.command == "serve":
        serve(directory, args.port)
    elif args.command == "start":
        os.makedirs(directory, exist_ok=True)
        return start(directory, args.port, args.pages, args.seed)
    else:
        return stop(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
