"""`prelude serve`: the casebook in a browser, on this computer only unless told otherwise."""

from __future__ import annotations

import socket
import webbrowser
from typing import Annotated

import typer

from ..web.security import Secrets, is_loopback
from .options import AsOfOpt, CasebookOpt, JobsOpt, UsageError, load_book, parse_date
from .output import err, out


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, or a usage error naming why it cannot be had."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose "
                         "another --port") from None
    return sock


def serve_command(
    casebook: CasebookOpt = None,
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535,
                                      help="The port to listen on (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option(
        "--host", help="The address to listen on. Only this computer's own (loopback) "
        "addresses unless --allow-remote is given.")] = "127.0.0.1",
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Allow a --host other computers can reach. The casebook's "
        "data would then be reachable over the network by anyone holding the token.")] = False,
    no_open: Annotated[bool, typer.Option(
        "--no-open", help="Do not open the browser; only print the address.")] = False,
    as_of: AsOfOpt = None,
    jobs: JobsOpt = None,
) -> None:
    """Serve the casebook in a browser: due list, cases, reports and recording forms.

    Prints the address to open, with a token that is good for this start only, and a
    separate read-only address for subscribing to the due list in a calendar. Edits made on
    disk show without a restart; records made in the browser are written to the files as
    the command line writes them, and left for you to commit. Stop with Ctrl-C.

    Example: prelude serve -C sample_casebook --as-of 2026-11-26
    """
    if not is_loopback(host) and not allow_remote:
        raise UsageError(f"--host {host} is not a loopback address: other computers could "
                         "reach the casebook. Give --allow-remote if that is really meant")
    book = load_book(casebook)
    today = parse_date(as_of) if as_of is not None else None
    import uvicorn

    from ..web.app import create_app
    from ..web.reading import Reader

    sock = _bind(host, port)
    port = sock.getsockname()[1]
    secrets = Secrets()
    reader = Reader(book.root, as_of=today, jobs=jobs)
    app = create_app(reader, secrets, host, port)
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    if not is_loopback(host):
        err(f"prelude: warning: serving on {host}, reachable from other computers: anyone "
            "with the address and token below can read and record in this casebook")
    out(f"prelude serve: {book.root}")
    out(f"Open:      {base}/?token={secrets.token}")
    out(f"Calendar:  {base}/due.ics?token={secrets.feed_token}  (read-only feed)")
    out("Stop with Ctrl-C.")
    if not no_open:
        webbrowser.open(f"{base}/?token={secrets.token}")
    # No access log: the feed's token is in its URL, and case references in every path.
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        reader.close()
        sock.close()
