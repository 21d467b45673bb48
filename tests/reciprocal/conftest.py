import pytest

from tests.conftest import TEST_OUTBOUND_ALLOW


@pytest.fixture(scope="module")
def _demo_for_the_module(django_db_setup, django_db_blocker):
    """The demo network and its reciprocal borrowing, loaded once for a test module (not once per test).

    Loaded inside a transaction the module's tests run in: each test's own transaction is a savepoint in
    it, rolled back after the test (as Django's ``TestCase.setUpTestData``), and the whole is rolled back
    when the module ends, so the next module finds the database as it was."""
    from django.db import connection, transaction
    from django.test import override_settings

    from jaringan.demo import network
    from jaringan.demo.reciprocal import load_reciprocal

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                                   PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                                   JARINGAN_OUTBOUND_ALLOW=TEST_OUTBOUND_ALLOW, MAP_TILES_URL=""):
                network.load_network()
                assert load_reciprocal() == 3
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        assert not connection.in_atomic_block


@pytest.fixture
def demo_network(_demo_for_the_module, db):
    """The demo network: 28 real libraries, 5 networks, agreements and the demo users (with reciprocal
    borrowing's terms, passes, visits and loans), as loaded once for the module. (A test whose data a live
    server must see cannot share the module's transaction: its module loads its own.)"""
    from jaringan.demo import datafiles

    return datafiles.network()


@pytest.fixture
def demo_reciprocal(demo_network, settings):
    """The demo network with its reciprocal borrowing: terms, passes, visits and loans."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return demo_network


@pytest.fixture(autouse=True)
def _english():
    """Services speak the site's language (Indonesian by default); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield
