"""observatoire: survey engine, study pipeline and web platform for partnership observatories."""

__version__ = "0.1.0"
