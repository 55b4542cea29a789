"""Settings from the environment (prefix ``DONGCHENG_``); refuses to run in production with shipped secrets."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SECRET = "insecure-development-secret-change-me"
DEMO_PASSWORD = "demo-password"
DEFAULT_AUDIT_KEY = "insecure-development-audit-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DONGCHENG_", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'dongcheng.db'}"
    secret_key: str = DEFAULT_SECRET
    demo_mode: bool = False
    data_dir: Path = REPO_ROOT / "data"
    token_ttl_hours: int = 12
    timezone: str = "Asia/Shanghai"
    # The audit log's chain key (docs/audit.md): kept outside the database. The file, when given, wins over the value;
    # entries and checkpoints name the key id; old keys stay listed (JSON {"id": "key"}) so verify accepts them.
    audit_key: str = DEFAULT_AUDIT_KEY
    audit_key_file: Path | None = None
    audit_key_id: str = "k1"
    audit_old_keys: dict[str, str] = {}
    audit_checkpoint_file: Path | None = None  # default: beside the SQLite file, or var/audit/ for PostgreSQL
    audit_checkpoint_sink: str = ""  # an http(s):// URL (POST) or a file path each checkpoint is also sent to
    audit_sequencer: bool = False  # run the sequencer in this process (`dongcheng serve` turns it on)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production":
            if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "DONGCHENG_SECRET_KEY must be set to a random value of at least 32 characters in production "
                    "/ 生产环境必须设置至少 32 位的随机密钥 DONGCHENG_SECRET_KEY"
                )
            if self.audit_key_file is None and (self.audit_key == DEFAULT_AUDIT_KEY or len(self.audit_key) < 32):
                raise ValueError(
                    "DONGCHENG_AUDIT_KEY (or DONGCHENG_AUDIT_KEY_FILE) must be set to a random value of at least 32 "
                    "characters in production / 生产环境必须设置至少 32 位的随机审计密钥 DONGCHENG_AUDIT_KEY"
                )
            if self.demo_mode:
                raise ValueError("demo mode is not allowed in production / 生产环境不允许演示模式")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
