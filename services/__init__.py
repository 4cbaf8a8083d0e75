"""Business operations. Shared by the web UI (state/), the REST API and the scheduler.

Never imports reflex: services know nothing about how they are called.
"""
