"""Tests of the Home SmartLink half of the integration."""
