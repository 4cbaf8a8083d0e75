"""A booking made in a process of its own, which announces its card charge and then waits to be
killed (SIGKILL) before it can confirm: the fault test of a crash between charge and confirm.

    python -m tests.crash_booking LAUNCH_ID USER_ID EMAIL   (stores from the environment)
"""
import sys
import time


def main(launch_id: int, user_id: str, email: str) -> None:
    from services.booking import bookings
    from services.kernel import payments
    from services.kernel.actor import Actor

    def charged(receipt: payments.Receipt) -> None:
        print(f"charged {receipt.reference}", flush=True)
        time.sleep(120)  # killed here by the test; never returns in practice

    actor = Actor(user_id=user_id, email=email, role="traveler", entry_point="api")
    order = {"launch_id": launch_id, "payment": {"card_number": payments.APPROVE_CARD},
             "passengers": [{"name": "Crash Passenger", "email": "crash@example.com", "phone": "+1 555 0100",
                             "birth_date": "1985-05-17"}]}
    with payments.sandbox_faults(after_charge=charged):
        bookings.create_booking(actor, order, "crash-key")
    print("confirmed", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
