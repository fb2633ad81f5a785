"""`flask --app wsgi ...` commands: seed-demo, create-admin."""
import click
from flask import Flask

from .extensions import db


def init_cli(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("email")
    @click.password_option(help="Password for the admin (prompted when omitted).")
    @click.option("--name", default="管理员", show_default=True)
    def create_admin_command(email: str, password: str, name: str) -> None:
        """Create an admin account, or make an existing user an admin."""
        from .accounts.services import create_admin

        user = create_admin(email, password, name)
        db.session.commit()
        click.echo(f"admin ready: {user.email}")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only seed when the database has no users yet.")
    def seed_demo_command(if_empty: bool) -> None:
        """Load the realistic demo data set (idempotent: running it again changes nothing)."""
        from roadshow_demo.seed import database_is_empty, seed_demo

        if if_empty and not database_is_empty():
            click.echo("database already has data; demo seed skipped")
            return
        summary = seed_demo()
        db.session.commit()
        click.echo("demo data ready: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
