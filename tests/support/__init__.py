"""Test support: real peers the tests talk to over 127.0.0.1."""
