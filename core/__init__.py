"""Application core: factory, configuration, extensions and command-line commands."""

from core.app import create_app

__all__ = ["create_app"]
