"""Business operations, grouped by the seven domains of the requirements.

    auth     accounts, sign-in, tokens, throttling, admin work on users
    agency   agency profile, rockets, launches and their lifecycle, launch reports
    booking  bookings, cancellations, the public catalog and what crawlers read
    finance  invoices, payments, revenue reports                 (planned: issue 9)
    notify   emails over SMTP, the in-app inbox, the IT notification queue
    sync     the customer read model projected from PostgreSQL
    monitor  the activity log (EntryLog)

`kernel` is what every domain shares: errors, the acting user, validation, the outbox and its
relay, the payment gateway adapter. `core`, the ground floor under the kernel, holds settings,
models, migrations, the store clients and their breaker, logs, metrics and formatting. A
domain's `__init__` is its public surface: another domain imports only from there
(tests/unit/test_layers.py enforces it). The web UI (state/), the REST
API (astrobookings/api) and the scheduler (astrobookings/jobs) call the same functions.

Never imports reflex, fastapi or starlette: services know nothing about how they are called.
"""
