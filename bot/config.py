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
from urllib.parse import unquote, urlsplit

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


def _count(name: str, default: int, highest: int) -> int:
    raw = os.environ.get(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from None
    if not 1 <= value <= highest:
        raise ConfigError(f"{name} must be between 1 and {highest}, got {value}.")
    return value


@dataclass(frozen=True)
class RedisSettings:
    """Where Rasa's lock store lives, split the way Rasa's endpoints.yml wants it."""

    url: str
    host: str
    port: int
    db: int
    password: str

    @classmethod
    def from_url(cls, url: str) -> RedisSettings:
        parts = urlsplit(url)
        if parts.scheme != "redis" or not parts.hostname:
            raise ConfigError(
                f"RELAIS_REDIS_URL must look like redis://[:password@]host[:port][/db], "
                f"got {parts.scheme or 'no'} scheme.")
        try:
            port = parts.port or 6379
            db = int(parts.path.strip("/") or 0)
        except ValueError:
            raise ConfigError("RELAIS_REDIS_URL has a wrong port or database number.") from None
        return cls(url=url, host=parts.hostname, port=port, db=db,
                   password=unquote(parts.password or ""))


def _production_requirements(database_url: str, tracker_db_url: str,
                             redis_url: str | None) -> None:
    """Production needs its secrets given, and stores that several processes and a restart
    share; every missing setting is named at once, so production is configured in one go."""
    wrong = [name for name in ("RELAIS_RASA_TOKEN", "RELAIS_SECRET_KEY") if not _optional(name)]
    if not database_url.startswith("postgresql"):
        wrong.append("RELAIS_DATABASE_URL (postgresql://…)")
    if not tracker_db_url.startswith("postgresql"):
        wrong.append("RELAIS_TRACKER_DB_URL (postgresql://…)")
    if redis_url is None:
        wrong.append("RELAIS_REDIS_URL (redis://…)")
    if wrong:
        raise ConfigError("RELAIS_ENV=production requires " + ", ".join(wrong) + ".")


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
    tracker_db_url: str = ""
    redis: RedisSettings | None = None  # Rasa's lock store; required with several instances
    rasa_instances: int = 1  # on consecutive ports from rasa_port
    # Turns the gateway lets into each Rasa instance at once (bot/admission.py): enough to
    # overlap a turn's action calls with another's NLU.
    rasa_slots_per_instance: int = 4
    actions_instances: int = 1  # on consecutive ports from actions_port
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
        database_url = _optional("RELAIS_DATABASE_URL") or f"sqlite:///{data_dir / 'relais.db'}"
        tracker_db_url = (_optional("RELAIS_TRACKER_DB_URL")
                          or f"sqlite:///{data_dir / 'rasa-tracker.db'}")
        redis_url = _optional("RELAIS_REDIS_URL")
        if production:
            _production_requirements(database_url, tracker_db_url, redis_url)
        rasa_instances = _count("RELAIS_RASA_INSTANCES", 1, 16)
        if rasa_instances > 1 and redis_url is None:
            raise ConfigError(
                "RELAIS_RASA_INSTANCES above 1 requires RELAIS_REDIS_URL: the instances share "
                "one lock per conversation in Redis.")
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
            database_url=database_url,
            tracker_db_url=tracker_db_url,
            redis=RedisSettings.from_url(redis_url) if redis_url else None,
            rasa_instances=rasa_instances,
            rasa_slots_per_instance=_count("RELAIS_RASA_SLOTS_PER_INSTANCE", 4, 64),
            actions_instances=_count("RELAIS_ACTIONS_INSTANCES", 1, 16),
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
        """The first Rasa instance (the only one by default)."""
        return self.url(self.rasa_port)

    @property
    def actions_url(self) -> str:
        return self.url(self.actions_port)

    @property
    def rasa_ports(self) -> list[int]:
        return [self.rasa_port + i for i in range(self.rasa_instances)]

    @property
    def actions_ports(self) -> list[int]:
        return [self.actions_port + i for i in range(self.actions_instances)]

    @property
    def rasa_urls(self) -> list[str]:
        return [self.url(port) for port in self.rasa_ports]

    def actions_url_for(self, rasa_index: int) -> str:
        """The action server Rasa instance ``rasa_index`` calls: spread round the instances."""
        return self.url(self.actions_ports[rasa_index % self.actions_instances])

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
            "RELAIS_TRACKER_DB_URL": self.tracker_db_url,
            "RELAIS_RASA_INSTANCES": str(self.rasa_instances),
            "RELAIS_RASA_SLOTS_PER_INSTANCE": str(self.rasa_slots_per_instance),
            "RELAIS_ACTIONS_INSTANCES": str(self.actions_instances),
            **self._redis_environment(),
        }

    def _redis_environment(self) -> dict[str, str]:
        """endpoints-redis.yml reads these (Rasa's lock store takes host, port, db, password)."""
        if self.redis is None:
            return {}
        return {"RELAIS_REDIS_URL": self.redis.url, "RELAIS_REDIS_HOST": self.redis.host,
                "RELAIS_REDIS_PORT": str(self.redis.port), "RELAIS_REDIS_DB": str(self.redis.db),
                "RELAIS_REDIS_PASSWORD": self.redis.password}
