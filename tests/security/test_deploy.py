"""Deployment settings: `check --deploy` clean with the documented production settings, `jaringan serve`
refusing the demo key, the Content-Security-Policy (pages and /sru alike) and which pages
are compressed."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import urllib.request

import pytest

from jaringan.demo import datafiles

#: The production settings the settings module's docstring and the README document.
PRODUCTION = {
    "JARINGAN_SECRET_KEY": "k3Qv9-uZp2_JXh7sWc4mNb8LrT1yFd6GaE0oVi5KjHqPzR2xUw",
    "JARINGAN_ALLOWED_HOSTS": "jaringan.example.id",
    "JARINGAN_SECURE_COOKIES": "1",
    "JARINGAN_HSTS_SECONDS": "31536000",
    "JARINGAN_HSTS_SUBDOMAINS": "1",
    "JARINGAN_HSTS_PRELOAD": "1",
    "JARINGAN_SSL_REDIRECT": "1",
}
DEPLOY_VARIABLES = ("JARINGAN_SECRET_KEY", "JARINGAN_DEBUG", "JARINGAN_SECURE_COOKIES", "JARINGAN_HSTS_SECONDS",
                    "JARINGAN_HSTS_SUBDOMAINS", "JARINGAN_HSTS_PRELOAD", "JARINGAN_SSL_REDIRECT",
                    "JARINGAN_BEHIND_PROXY", "JARINGAN_CSP", "JARINGAN_ALLOWED_HOSTS")


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in DEPLOY_VARIABLES and k != "DATABASE_URL"}
    env.update({"JARINGAN_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "jaringan.settings", "LANGUAGE": "en",
                **extra})
    return env


def check_deploy(tmp_path, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=_env(tmp_path, **extra), capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    done = check_deploy(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    behind_proxy = check_deploy(tmp_path, **PRODUCTION, JARINGAN_BEHIND_PROXY="1")
    assert behind_proxy.returncode == 0, behind_proxy.stdout + behind_proxy.stderr


def test_check_deploy_names_what_the_demo_settings_lack(tmp_path):
    done = check_deploy(tmp_path)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009", "security.W012", "security.W016"):
        assert warning in done.stdout + done.stderr


@pytest.mark.parametrize(("lang", "words"), [("en", "JARINGAN_SECRET_KEY is not set"),
                                             ("id", "JARINGAN_SECRET_KEY belum diatur")])
def test_serve_refuses_the_built_in_demo_key_and_says_which_variable_to_set(tmp_path, lang, words):
    env = _env(tmp_path, LANGUAGE=lang)
    done = subprocess.run([sys.executable, "-m", "jaringan", "serve", "--port", "1"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert words in done.stderr and "jaringan demo" in done.stderr
    assert "Jaringan: http" not in done.stdout  # it never started


@pytest.mark.django_db
def test_every_page_and_sru_carry_the_same_policy(live_server, demo_network, settings):
    from jaringan.wsgi import application  # the site as served: /sru answered in front of the middleware

    policy = settings.CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
    for path in ("/", "/search/?q=pustaka", "/libraries/", "/accounts/login/"):
        with urllib.request.urlopen(live_server.url + path, timeout=10) as r:
            assert r.headers["Content-Security-Policy"] == policy
    seen = {}

    def start_response(status, headers):
        seen.update(status=status, headers=dict(headers))

    for _ in range(2):  # the first through the middleware, which teach /sru its headers; the next answered directly
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sru", "QUERY_STRING": "operation=explain",
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
                   "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "SCRIPT_NAME": ""}
        b"".join(application(environ, start_response))
        assert seen["status"] == "200 OK" and seen["headers"]["Content-Security-Policy"] == policy


@pytest.mark.django_db
def test_public_pages_are_compressed_and_a_logged_in_persons_are_not(client, demo_network):
    page = client.get("/libraries/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    assert "<html" in gzip.decompress(page.content).decode()
    staff = next(u for u in datafiles.network()["users"] if u["username"] == "staf.itb")
    assert client.login(username=staff["username"], password=staff["password"])
    page = client.get("/libraries/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and not page.has_header("Content-Encoding")
    assert "<html" in page.content.decode()
