import pytest


@pytest.fixture
def demo_reciprocal(demo_network, settings):
    """The demo network with its reciprocal borrowing: terms, passes, visits and loans."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from jaringan.demo.reciprocal import load_reciprocal

    assert load_reciprocal() == 3
    return demo_network


@pytest.fixture(autouse=True)
def _english():
    """Services speak the site's language (Indonesian by default); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield
