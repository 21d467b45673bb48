"""Shared fixtures. Every database test runs on whichever database DATABASE_URL
names (SQLite by default); `.ci/run` runs the suite on both.

Django is imported inside the fixtures, so the pure core's tests also run
with `-p no:django`.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge what is generated, never how fast: no per-example deadline and no "too slow"
# health check, which fail on a shared 2-core machine (the suite runs one process per core).
settings.register_profile("jaringan", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("jaringan")

#: Tests talk to real servers on this machine: outbound requests may reach its loopback address (and
#: processes the tests start inherit this). A deployment allows no private address unless it says so.
TEST_OUTBOUND_ALLOW = "127.0.0.1/32,::1/128"
os.environ.setdefault("JARINGAN_OUTBOUND_ALLOW", TEST_OUTBOUND_ALLOW)


@pytest.fixture(autouse=True)
def _test_settings(request):
    """Pages never point a browser at map tiles outside this machine in tests, and
    demo passwords are hashed with a fast hasher (the real one takes half a second each)."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MAP_TILES_URL = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.JARINGAN_OUTBOUND_ALLOW = TEST_OUTBOUND_ALLOW
    # Files the code keeps beside the database (uploads by batch id, ILL deliveries) go to a folder of this
    # test process's own: the suite's processes each have their own database, whose batch ids repeat, and
    # one's upload must never be read or removed by another.
    settings.HOME = request.getfixturevalue("tmp_path_factory").getbasetemp() / "home"
    settings.HOME.mkdir(exist_ok=True)


@pytest.fixture
def demo_network(db):
    """The demo network: 28 real libraries, 5 networks, agreements and the demo users."""
    from jaringan.demo import datafiles, network

    network.load_network()
    return datafiles.network()


@pytest.fixture
def passwords():
    from jaringan.demo import datafiles

    return {u["username"]: u["password"] for u in datafiles.network()["users"]}


@pytest.fixture
def user(demo_network):
    from django.contrib.auth import get_user_model

    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def principal(user):
    from jaringan.network.permissions import principal_for

    def get(username: str):
        return principal_for(user(username))

    return get


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Close each connection when its request ends: the live server answers each
    request in a thread of its own, and a kept connection would outlive it."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
