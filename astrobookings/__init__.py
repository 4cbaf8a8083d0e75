"""AstroBookings, the application: the Reflex app module, the REST API (api/), the scheduler and
worker entry points (jobs/, worker.py) and development tooling (dev/). The core it stands on
lives in services/core."""
