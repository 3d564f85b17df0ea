"""Etalase: publish service standards, codes of conduct, performance statistics and open data.

`register()` only connects Pelican signals; all work is in the modules it names.
"""

from pelican import signals


def _get_generators(pelican):
    from .generator import EtalaseGenerator

    return EtalaseGenerator


def _configure(pelican):
    """Share the filters with every generator, and always escape text from data."""
    from .generator import FILTERS

    pelican.settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)
    env = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    env["autoescape"] = True
    pelican.settings["JINJA_ENVIRONMENT"] = env


def register():
    signals.initialized.connect(_configure)
    signals.get_generators.connect(_get_generators)
