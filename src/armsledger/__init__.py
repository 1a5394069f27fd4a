"""armsledger: a sourced ledger of weapons, ammunition and personnel transfers between states."""

__version__ = "0.1.0"
