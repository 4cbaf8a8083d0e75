"""PostgreSQL tables (SQLModel) and MongoDB documents (pydantic)."""
from astrobookings.models.agency import Agency, Rocket, RocketRange  # noqa: F401
from astrobookings.models.booking import Booking, BookingStatus, Passenger, Refund, RefundStatus  # noqa: F401
from astrobookings.models.finance import (  # noqa: F401
    Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, InvoiceReminder, InvoiceStatus, Payment, PaymentStatus,
)
from astrobookings.models.launch import Launch, LaunchStatus, LaunchStatusChange  # noqa: F401
from astrobookings.models.outbox import DeliveryStatus, EntryPoint, OutboxDelivery, OutboxEvent  # noqa: F401
from astrobookings.models.users import AccountCopy  # noqa: F401
