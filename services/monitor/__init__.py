"""Monitor: the activity log (EntryLog in the MongoDB system database) of every change.

Nothing writes the log directly: every change publishes its outbox event, and the
`activity-log` consumer (services/monitor/consumers.py) turns each event into its EntryLog, with
the event's type as the action. A request never writes to MongoDB for its log, so a MongoDB
outage neither fails it nor loses the entry (the delivery waits and is retried).
"""
