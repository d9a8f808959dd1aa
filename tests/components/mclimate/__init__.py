"""Tests of the MClimate service: entities, polling, commands, diagnostics."""
