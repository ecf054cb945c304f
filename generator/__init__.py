"""Briefing: turn a folder of news articles into a cross-linked static wiki."""

__version__ = "0.1.0"
