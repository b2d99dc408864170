"""Aggregate metrics and sync to the central program (no Flask outside central/)."""
