"""Users, login and logout, API tokens and the roles every app declares (see docs/platform.md)."""
