"""Kefu 客服 — customer service management for Chinese enterprises."""
