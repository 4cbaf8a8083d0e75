"""Development tooling, not the product: embedded stores (`stack`), the one-command launcher
(`launcher`, behind `make run`), demo data (`demo*`) and a mail sink (`mailsink`)."""
