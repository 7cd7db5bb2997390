"""Routers per audience: health, kiosk, auth, staff."""
