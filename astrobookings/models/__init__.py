"""PostgreSQL tables (SQLModel) and MongoDB documents (pydantic)."""
from astrobookings.models.agency import Agency, Rocket, RocketRange  # noqa: F401
from astrobookings.models.booking import Booking, BookingStatus, Passenger  # noqa: F401
from astrobookings.models.finance import Invoice, InvoiceKind, Payment, PaymentStatus  # noqa: F401
from astrobookings.models.launch import Launch, LaunchStatus, LaunchStatusChange  # noqa: F401
from astrobookings.models.outbox import EntryPoint, OutboxEvent  # noqa: F401
