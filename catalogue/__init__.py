"""The national catalogue of digital educational resources (Flask + SQLAlchemy)."""
