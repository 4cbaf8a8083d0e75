"""The shared kernel: domain errors, the acting user, validation, the outbox and its relay, and
the payment gateway adapter. Every domain may import these modules directly."""
