"""Tests of the demo (scripts/develop) from outside: processes, API, browser, voice."""
