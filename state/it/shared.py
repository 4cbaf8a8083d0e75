"""What the IT pages share: the roles that may use them."""
OPERATORS = ("it", "admin")
POLL_SECONDS = 1.0
