"""Console accounts from the command line: ``python -m bot.console.users add …``.

    python -m bot.console.users add amina --name "Amina B." --role agent \\
        --speciality ecrivain_public          # asks the password twice
    echo "$PASSWORD" | python -m bot.console.users add … --password-stdin
    python -m bot.console.users list

Uses the same settings as the gateway (RELAIS_DATA_DIR, RELAIS_DATABASE_URL, RELAIS_SECRET_KEY).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.config import ConfigError, Settings
from bot.store.handoff import ROLES, SPECIALITIES, Handoffs
from bot.store.repository import open_repository

MIN_PASSWORD_CHARS = 12


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Encore une fois : ") != first:
        raise ValueError("les deux mots de passe diffèrent")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console.users",
                                     description="Comptes de la console Relais.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="créer un compte")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="nom affiché aux collègues")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--speciality", choices=SPECIALITIES, help="obligatoire pour un agent")
    add.add_argument("--password-stdin", action="store_true")
    commands.add_parser("list", help="lister les comptes actifs")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"relais users: {exc}", file=sys.stderr)
        return 2
    repository = open_repository(settings.database_url, settings.secret_key, settings.data_dir)
    handoffs = Handoffs(repository.engine, repository.keys)
    try:
        if args.command == "list":
            for user in handoffs.users():
                print("\t".join((user.username, user.role, user.speciality or "-",
                                 user.display_name)))
            return 0
        password = _read_password(args.password_stdin)
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"le mot de passe doit avoir au moins {MIN_PASSWORD_CHARS} caractères")
        user = handoffs.add_user(args.username, args.name, args.role, args.speciality, password)
        print(f"compte créé : {user.username} ({user.role})")
        return 0
    except ValueError as exc:
        print(f"relais users: {exc}", file=sys.stderr)
        return 1
    finally:
        repository.close()


if __name__ == "__main__":
    sys.exit(main())
