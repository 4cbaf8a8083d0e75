"""The signing secret: never a value from the repository, made once per install, refused when weak."""
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from services.core import settings as settings_module
from services.core.settings import KNOWN_SECRETS, Settings, get_settings, install_secret
from services.auth import security
from services.kernel.errors import NotAuthenticated

OLD_DEVELOPMENT_SECRET = "dev-only-change-me-0123456789abcdef"


@pytest.fixture
def fresh_settings(monkeypatch, tmp_path):
    """Settings read anew from an environment without JWT_SECRET, with this test's own DATA_DIR."""
    for name in ("JWT_SECRET", "JWT_PREVIOUS_SECRETS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_the_repository_holds_no_default_secret():
    assert Settings.model_fields["jwt_secret"].default == ""
    assert not hasattr(settings_module, "DEV_SECRET")


def test_unset_secret_is_generated_once_per_install_and_kept_private(fresh_settings):
    secret = get_settings().jwt_secret
    path = fresh_settings / "secrets" / "jwt_secret"
    assert path.read_text().strip() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(secret) >= 48 and secret not in KNOWN_SECRETS and secret != OLD_DEVELOPMENT_SECRET
    get_settings.cache_clear()
    assert get_settings().jwt_secret == secret, "a restart must keep the install's secret"


def test_each_install_gets_its_own_secret(tmp_path):
    assert install_secret(tmp_path / "one") != install_secret(tmp_path / "two")


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets = set(pool.map(lambda _: install_secret(tmp_path), range(16)))
    assert len(secrets) == 1
    assert [p.name for p in (tmp_path / "secrets").iterdir()] == ["jwt_secret"], "no temporary file is left"


@pytest.mark.parametrize("demo", ["true", "false"])
@pytest.mark.parametrize("secret", [OLD_DEVELOPMENT_SECRET, "short-secret", "a" * 40, "abababababababababababababababab"])
def test_known_short_or_repetitive_secret_is_refused_in_every_mode(monkeypatch, secret, demo):
    monkeypatch.setenv("JWT_SECRET", secret)
    monkeypatch.setenv("DEMO_DATA", demo)
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings()


def test_a_weak_generated_file_is_refused(tmp_path):
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "jwt_secret").write_text("short\n")
    with pytest.raises(RuntimeError, match="shorter than"):
        install_secret(tmp_path)


def test_rotation_accepts_previous_secret_until_it_is_dropped(monkeypatch, fresh_settings):
    old, new = "old-" + "0123456789abcdefghijklmnopqrstuv", "new-" + "0123456789abcdefghijklmnopqrstuv"
    token, _, _ = security.issue_token("user-1", "traveler", old, 30)
    monkeypatch.setenv("JWT_SECRET", new)
    monkeypatch.setenv("JWT_PREVIOUS_SECRETS", old)
    get_settings.cache_clear()
    assert security.decode_token(token, get_settings().verification_secrets)["sub"] == "user-1"
    monkeypatch.delenv("JWT_PREVIOUS_SECRETS")
    get_settings.cache_clear()
    with pytest.raises(NotAuthenticated):
        security.decode_token(token, get_settings().verification_secrets)
