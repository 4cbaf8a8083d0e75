"""Reflex state classes: parse, authorize on the server, call one service, present."""
