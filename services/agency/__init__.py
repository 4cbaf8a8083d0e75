"""Agency: the agency's profile, its rockets, its launches and their lifecycle, launch reports.

Public surface for other domains: the acting agency's id, and the facts finance invoices from.
Owns the `agency`, `rocket`, `launch` and `launch_status_change` tables (PostgreSQL).
Publishes (services/agency/events.py) `agency.created`, `agency.profile_updated`,
`rocket.created|updated|deleted`, `launch.scheduled`, `launch.delayed|aborted|launched|failed`,
`launch.bookings_report_downloaded`, `launch.manifest_downloaded`. An abort cancels the launch's bookings through booking's
public surface, in the abort's own transaction.
"""
from services.agency.billing import LaunchFacts, launch_facts
from services.agency.profile import agency_id_for

__all__ = ["LaunchFacts", "agency_id_for", "launch_facts"]
