"""Accounts: `jaringan createuser`, `jaringan token`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from jaringan.core.errors import NotFound

from .common import Command, setup


def cmd_createuser(args) -> int:
    setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.network import services

    password = args.password or os.environ.get("JARINGAN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print(_("error: give --password or set JARINGAN_PASSWORD (no terminal to ask on)"), file=sys.stderr)
            return 2
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            print(_("error: the passwords differ"), file=sys.stderr)
            return 2
    user = services.user_create(
        username=args.username,
        password=password,
        full_name=args.name or "",
        email=args.email or "",
        role=args.role,
        networks=args.network or [],
        library=args.library,
        superuser=args.superuser,
    )
    print(_("created %(username)s") % {"username": user.username} + (f" ({args.role})" if args.role else ""))
    if args.token:
        print(_("API token (shown once): %(token)s") % {"token": services.token_create(user=user, name="cli")})
    return 0


def cmd_token(args) -> int:
    setup(args.home)
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    from jaringan.network import services

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise NotFound(_("no account named %(username)s") % {"username": args.username})
    print(services.token_create(user=user, name=args.name or ""))
    return 0


def _createuser_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("username", help="the new account's username")
    p.add_argument("--role", choices=["coordinator", "staff", "reader"], help="what the account does")
    p.add_argument("--network", action="append", metavar="CODE", help="network a coordinator coordinates (repeatable)")
    p.add_argument("--library", metavar="CODE", help="library of a staff member or reader")
    p.add_argument("--name", help="full name")
    p.add_argument("--email", help="e-mail address for notices")
    p.add_argument("--password", help="password (or set JARINGAN_PASSWORD; asked for when neither is given)")
    p.add_argument("--superuser", action="store_true", help="may do everything")
    p.add_argument("--token", action="store_true", help="also issue an API token and print it")


def _token_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("username", help="the account the token acts for")
    p.add_argument("--name", help="what the token is for")


COMMANDS = (
    Command("createuser", "Create an account: a network coordinator, library staff or a reader.", cmd_createuser,
            _createuser_options),
    Command("token", "Issue a new API token for an account and print it (shown once).", cmd_token, _token_options),
)
