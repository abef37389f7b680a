"""Settings of every Relais process, read from the environment with documented defaults.

The supervisor resolves them once and hands them to its children through the environment,
so the gateway, Rasa and the action server always agree on ports, data folder and tokens.
Every variable is listed in README.md ("Configuration").
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message names it, and the process must not start."""


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a port number, got {raw!r}.") from None
    if not 0 < port < 65536:
        raise ConfigError(f"{name} must be between 1 and 65535, got {port}.")
    return port


def _days(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 365:
        raise ConfigError(f"{name} must be a number of days between 1 and 365, got {raw!r}.")
    return int(raw)


def _dev_secret(data_dir: Path, name: str) -> str:
    """A random secret kept in the data folder, so local runs need no configuration.

    Production mode never uses this: there a missing secret stops the process.
    """
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def _secret(name: str, data_dir: Path, production: bool, dev_file: str) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if production:
        raise ConfigError(f"{name} is required when RELAIS_ENV=production.")
    return _dev_secret(data_dir, dev_file)


_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _optional(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


def _base_url(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must be an http(s) URL, got {value!r}.")
    return value


@dataclass(frozen=True)
class TwilioSettings:
    """SMS and WhatsApp through Twilio; a channel is on when its sender is configured."""

    account_sid: str
    auth_token: str
    sms_from: str | None  # "+33…" (or a Messaging Service's number)
    whatsapp_from: str | None  # "whatsapp:+33…"
    api_base_url: str  # https://api.twilio.com; a local fake in tests
    whatsapp_template_sid: str | None  # approved template (Content SID "HX…") outside 24 h

    @classmethod
    def from_env(cls, public_url: str | None) -> TwilioSettings | None:
        sid, token = _optional("TWILIO_ACCOUNT_SID"), _optional("TWILIO_AUTH_TOKEN")
        if not sid and not token:
            return None
        if not sid or not token:
            missing = "TWILIO_ACCOUNT_SID" if not sid else "TWILIO_AUTH_TOKEN"
            raise ConfigError(f"{missing} is required when the other Twilio credential is set.")
        if public_url is None:
            raise ConfigError(
                "RELAIS_PUBLIC_URL is required with Twilio: webhook signatures are checked "
                "against the public address Twilio calls."
            )
        whatsapp = _optional("TWILIO_WHATSAPP_FROM")
        if whatsapp and not whatsapp.startswith("whatsapp:"):
            whatsapp = f"whatsapp:{whatsapp}"
        return cls(
            account_sid=sid,
            auth_token=token,
            sms_from=_optional("TWILIO_SMS_FROM"),
            whatsapp_from=whatsapp,
            api_base_url=_base_url("TWILIO_API_BASE_URL", "https://api.twilio.com"),
            whatsapp_template_sid=_optional("TWILIO_WHATSAPP_TEMPLATE_SID"),
        )


@dataclass(frozen=True)
class TelegramSettings:
    """Telegram through the Bot API; on when TELEGRAM_BOT_TOKEN is set."""

    token: str
    webhook_secret: str  # Telegram echoes it in X-Telegram-Bot-Api-Secret-Token
    api_base_url: str  # https://api.telegram.org; a local fake in tests

    @classmethod
    def from_env(cls, data_dir: Path, production: bool) -> TelegramSettings | None:
        token = _optional("TELEGRAM_BOT_TOKEN")
        if token is None:
            return None
        secret = _secret("TELEGRAM_WEBHOOK_SECRET", data_dir, production, "telegram_webhook")
        if not _TELEGRAM_SECRET.fullmatch(secret):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -."
            )
        return cls(token=token, webhook_secret=secret,
                   api_base_url=_base_url("TELEGRAM_API_BASE_URL", "https://api.telegram.org"))


def _public_url(production: bool) -> str | None:
    value = _optional("RELAIS_PUBLIC_URL")
    if value is None:
        return None
    value = value.rstrip("/")
    allowed = ("https://",) if production else ("https://", "http://")
    if not value.startswith(allowed):
        raise ConfigError(
            f"RELAIS_PUBLIC_URL must start with {' or '.join(allowed)}, got {value!r}."
        )
    return value


@dataclass(frozen=True)
class Settings:
    """Where each process listens and where data lives."""

    production: bool
    host: str
    data_dir: Path
    gateway_port: int
    rasa_port: int
    actions_port: int
    eligibility_port: int
    rasa_token: str
    secret_key: str
    model_path: Path
    eligibility_python: Path
    database_url: str = ""
    public_url: str | None = None  # https address residents' providers call (webhooks)
    twilio: TwilioSettings | None = None
    telegram: TelegramSettings | None = None
    followup_days: int = 5  # days after a dossier's PDF before asking if it was submitted

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get("RELAIS_ENV", "development")
        if env not in ("development", "production"):
            raise ConfigError(f"RELAIS_ENV must be 'development' or 'production', got {env!r}.")
        production = env == "production"
        data_dir = Path(os.environ.get("RELAIS_DATA_DIR", REPO_ROOT / "var")).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        public_url = _public_url(production)
        return cls(
            production=production,
            host=os.environ.get("RELAIS_HOST", "127.0.0.1"),
            data_dir=data_dir,
            gateway_port=_port("RELAIS_GATEWAY_PORT", 8000),
            rasa_port=_port("RELAIS_RASA_PORT", 5005),
            actions_port=_port("RELAIS_ACTIONS_PORT", 5055),
            eligibility_port=_port("RELAIS_ELIGIBILITY_PORT", 8100),
            rasa_token=_secret("RELAIS_RASA_TOKEN", data_dir, production, "rasa_token"),
            secret_key=_secret("RELAIS_SECRET_KEY", data_dir, production, "secret_key"),
            model_path=Path(
                os.environ.get("RELAIS_MODEL", REPO_ROOT / "models" / "relais.tar.gz")
            ).resolve(),
            eligibility_python=Path(
                os.environ.get(
                    "RELAIS_ELIGIBILITY_PYTHON",
                    REPO_ROOT / ".venvs" / "eligibility" / "bin" / "python",
                )
            ),
            database_url=_optional("RELAIS_DATABASE_URL")
            or f"sqlite:///{data_dir / 'relais.db'}",
            public_url=public_url,
            twilio=TwilioSettings.from_env(public_url),
            telegram=TelegramSettings.from_env(data_dir, production),
            followup_days=_days("RELAIS_FOLLOWUP_DAYS", 5),
        )

    def url(self, port: int) -> str:
        """Base URL of a local service, as the other processes reach it."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{port}"

    @property
    def rasa_url(self) -> str:
        return self.url(self.rasa_port)

    @property
    def actions_url(self) -> str:
        return self.url(self.actions_port)

    @property
    def eligibility_url(self) -> str:
        return self.url(self.eligibility_port)

    @property
    def gateway_url(self) -> str:
        return self.url(self.gateway_port)

    def child_environment(self) -> dict[str, str]:
        """The variables every child process gets, so that all of them agree."""
        return {
            "RELAIS_ENV": "production" if self.production else "development",
            "RELAIS_HOST": self.host,
            "RELAIS_DATA_DIR": str(self.data_dir),
            "RELAIS_GATEWAY_PORT": str(self.gateway_port),
            "RELAIS_RASA_PORT": str(self.rasa_port),
            "RELAIS_ACTIONS_PORT": str(self.actions_port),
            "RELAIS_ELIGIBILITY_PORT": str(self.eligibility_port),
            "RELAIS_ELIGIBILITY_HOST": self.host,
            "RELAIS_ELIGIBILITY_URL": self.eligibility_url,
            "RELAIS_ACTIONS_URL": f"{self.actions_url}/webhook",
            "RELAIS_RASA_TOKEN": self.rasa_token,
            "RELAIS_SECRET_KEY": self.secret_key,
            "RELAIS_MODEL": str(self.model_path),
            "RELAIS_DATABASE_URL": self.database_url,
        }
