"""PostgreSQL tables (SQLModel) and MongoDB documents (pydantic)."""
from services.core.models.agency import Agency, Rocket, RocketRange  # noqa: F401
from services.core.models.booking import Booking, BookingStatus, Passenger, Refund, RefundStatus  # noqa: F401
from services.core.models.finance import (  # noqa: F401
    Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, InvoiceReminder, InvoiceStatus, Payment, PaymentStatus,
)
from services.core.models.launch import Launch, LaunchStatus, LaunchStatusChange  # noqa: F401
from services.core.models.outbox import DeliveryStatus, EntryPoint, OutboxDelivery, OutboxEvent  # noqa: F401
from services.core.models.users import AccountCopy  # noqa: F401
