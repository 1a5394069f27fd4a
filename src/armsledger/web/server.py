"""Running the workbench: the bind check and uvicorn."""

from __future__ import annotations

import ipaddress

from armsledger.errors import UsageError
from armsledger.store import Ledger


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, accounts: int) -> None:
    """Refuse a non-loopback address while the ledger has no account (it would be open to the network)."""
    if accounts == 0 and not is_loopback(host):
        raise UsageError(
            f"refusing to listen on {host}: the ledger has no account, so anyone on the network could read it",
            hint="add one with `armsledger user add NAME --role admin`, or serve on 127.0.0.1",
        )


def serve(url: str, host: str, port: int) -> None:
    """Check the address, then serve the app on ``host:port`` until interrupted."""
    import uvicorn

    from armsledger.web.app import create_app

    with Ledger.open(url) as ledger:
        check_bind(host, ledger.count_users())
    uvicorn.run(create_app(url), host=host, port=port, log_level="info")
