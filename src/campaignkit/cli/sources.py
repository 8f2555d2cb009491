"""Where a command reads its campaign: a ledger file, or a store named by URL.

Every command that takes a ``LEDGER`` takes a store URL in its place
(``sqlite:///huainan.db``, ``postgresql://…``), with ``--campaign ID`` when the
store holds more than one campaign. From a store the workspace's issue shapes
are read from the store's derived columns; from a file the ledger is read and
validated, and each history derived once.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from campaignkit.cli.output import say
from campaignkit.errors import CampaignkitError
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.io import load_workspace
from campaignkit.model.ledger import Ledger
from campaignkit.workspace import Workspace

if TYPE_CHECKING:
    from campaignkit.store import Store

__all__ = [
    "SCHEMES",
    "add_campaign_option",
    "campaign_of",
    "file_campaign",
    "files_of",
    "is_store",
    "ledger_path",
    "open_store",
    "workspace",
]

SCHEMES = ("sqlite", "postgresql", "postgres")
"""URL schemes of stores (``postgresql+psycopg`` and the like included)."""

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

_SQLITE = re.compile(r"sqlite(\+[A-Za-z0-9_]+)?:///", re.IGNORECASE)
"""The start of an SQLite store's URL, before its file's path."""

SIDE_FILES = ("-wal", "-shm", "-journal", "-writers")
"""What an SQLite store keeps beside its database file (its name with these added): the
write-ahead log and its index, the rollback journal, the writers' queue lock."""

SOURCE_HELP = "ledger JSON file (or a folder holding ledger.json), or a store URL (sqlite:///FILE)"


def is_store(source: str) -> bool:
    """True if ``source`` names a store by URL rather than a file: any ``scheme://``, so
    that a URL of an unsupported database is refused as such (its password unshown)."""
    return _URL.match(source) is not None


def ledger_path(source: str) -> Path:
    """The file a ledger argument names: the file itself, or a folder's ``ledger.json``;
    for an SQLite store's URL, its database file."""
    found = _SQLITE.match(source)
    if found is not None:
        return Path(source[found.end() :].partition("?")[0]).expanduser()
    given = Path(source)
    return given / "ledger.json" if given.is_dir() else given


def files_of(source: str) -> tuple[Path, ...]:
    """The files a ledger argument reads: the ledger file, or an SQLite store's database
    file with the files it keeps beside it (:data:`SIDE_FILES`, whether they exist now
    or not); none for a store on a server."""
    if _SQLITE.match(source) is not None:
        database = ledger_path(source)
        return (database, *(Path(f"{database}{side}") for side in SIDE_FILES))
    if is_store(source):
        return ()
    return (ledger_path(source),)


def add_campaign_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--campaign ID`` (which campaign of a store; a file holds one)."""
    parser.add_argument(
        "--campaign",
        metavar="ID",
        help="the campaign to read when LEDGER is a store holding several",
    )


def open_store(url: str, manager: PluginManager, *, create: bool = False) -> Store:
    """The store at ``url`` (the ``store`` extra is imported only when a store is used). Only
    ``store init`` and ``store import`` create one: a mistyped URL is refused elsewhere."""
    try:
        from campaignkit.store import Store
    except ImportError as exc:
        raise CampaignkitError(Phrase("store-extra-missing", {"why": str(exc)})) from None
    return Store.open(url, manager=manager, create=create)


def campaign_of(store: Store, chosen: str | None) -> str:
    """The campaign ``--campaign`` chose, or the store's only one."""
    if chosen is not None:
        return chosen
    held = store.campaigns()
    if len(held) == 1:
        return held[0]
    if not held:
        raise CampaignkitError(Phrase("store-empty"))
    raise CampaignkitError(Phrase("store-choose-campaign", {"held": ", ".join(held)}))


def file_campaign(args: argparse.Namespace, ledger: Ledger) -> None:
    """Refuse ``--campaign`` naming another campaign than the one the ledger file
    ``args.ledger`` holds (a file holds one: another was meant)."""
    chosen = getattr(args, "campaign", None)
    held = ledger.campaign.id
    if chosen is not None and chosen != held:
        words = {"path": args.ledger, "held": held, "chosen": chosen}
        raise CampaignkitError(Phrase("file-holds-other-campaign", words))


def workspace(
    args: argparse.Namespace,
    manager: PluginManager,
    load: Callable[[str], Ledger] | None = None,
) -> Workspace:
    """The workspace of ``args.ledger``: a store's campaign (``args.campaign``) or a ledger
    file, read by ``load`` when given (a progress bar's reader) else by
    :func:`campaignkit.load_workspace`."""
    source: str = args.ledger
    if not is_store(source):
        if load is not None:
            found = Workspace.open(load(source), manager=manager)
        else:  # validation walks each history with the workspace's deriver: derived once
            found = load_workspace(source, manager=manager)
        file_campaign(args, found.ledger)
        return found
    store = open_store(source, manager)
    try:
        campaign = campaign_of(store, getattr(args, "campaign", None))
        if store.stale(campaign):
            say("warning", Phrase("store-stale", {"campaign": campaign}).text(args.lang))
        return store.workspace(campaign)
    finally:
        store.close()
