"""FastAPI service: the one door for kiosk, console and scripts."""
