"""AstroBookings core: settings, stores, models, REST API and jobs."""
