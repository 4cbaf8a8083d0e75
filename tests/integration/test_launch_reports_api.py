"""Passengers with contact data, money collected, the bookings CSV, and the dashboard totals."""
import csv
import io

from tests.agency_helpers import add_rocket, agency_with_launch, book, make_due, new_agency, schedule


def test_passenger_list_shows_confirmed_seats_with_contact_data(api):
    headers, _rocket, launch = agency_with_launch(api)
    book(launch["id"], 2, "ana@example.com")
    book(launch["id"], 1, "bo@example.com")
    passengers = api.get(f"/api/agency/launches/{launch['id']}/passengers", headers=headers).json()
    assert [(p["booked_by"], p["name"]) for p in passengers] == [
        ("ana@example.com", "Passenger 1"), ("ana@example.com", "Passenger 2"), ("bo@example.com", "Passenger 1")]
    assert passengers[0]["email"] == "p1.ana@example.com" and passengers[0]["phone"] and passengers[0]["birth_date"] == "1985-05-01"
    detail = api.get(f"/api/agency/launches/{launch['id']}", headers=headers).json()
    assert detail["seats_sold"] == 3 and detail["seats_free"] == 3 and detail["bookings"] == 2
    assert detail["collected_cents"] == 3 * launch["price_cents"]


def test_the_bookings_report_address_leads_to_the_one_manifest_before_and_after_the_flight(api):
    headers, _rocket, launch = agency_with_launch(api, price_cents=500_000)
    book(launch["id"], 2, "ana@example.com")
    old = f"/api/agency/launches/{launch['id']}/bookings.csv"
    moved = api.get(old, headers=headers, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/api/agency/launches/{launch['id']}/manifest.csv"
    for _moment in ("before", "after"):
        report = api.get(old, headers=headers)
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
        assert f'filename="manifest-{launch["slug"]}-' in report.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(report.text)))
        assert [(r["Booked by"], r["Passenger"], r["Booking paid"]) for r in rows] == [
            ("ana@example.com", "Passenger 1", "$10,000.00"), ("ana@example.com", "Passenger 2", "$10,000.00")]
        assert rows[0]["Booked at"] and rows[0]["Cancelled at"] == ""
        make_due(launch["id"])
        api.post(f"/api/agency/launches/{launch['id']}/status", headers=headers, json={"status": "launched"})
    assert "/bookings.csv" not in str(api.get("/api/openapi.json").json()["paths"])


def test_occupancy_totals_cover_open_launches(api):
    from services.agency import reports as launch_reports
    from services.auth.accounts import authenticate

    headers = new_agency(api)
    rocket = add_rocket(api, headers, capacity=10)
    soon = schedule(api, headers, rocket["id"], days=30)
    later = schedule(api, headers, rocket["id"], days=60)
    gone = schedule(api, headers, rocket["id"], days=90)
    book(soon["id"], 3)
    book(later["id"], 1)
    make_due(gone["id"])
    api.post(f"/api/agency/launches/{gone['id']}/status", headers=headers, json={"status": "launched"})
    actor = authenticate(headers["Authorization"].split()[1])
    report = launch_reports.occupancy(actor)
    assert [l.id for l in report.upcoming] == [soon["id"], later["id"]]
    assert (report.open_launches, report.seats_offered, report.seats_sold) == (2, 20, 4)
    assert report.collected_cents == 4 * soon["price_cents"]


def test_manifest_any_time_with_cancelled_bookings_marked_and_dollars_in_the_csv(api):
    from datetime import date

    from services.agency import reports as launch_reports
    from services.auth.accounts import authenticate
    from tests.booking_helpers import book as book_as, passengers, published_launch
    from tests.helpers import new_traveler

    launch = published_launch(api, days=500, price_cents=250_050)
    agency = launch["agency_headers"]
    _email, ana = new_traveler(api)
    kept = book_as(api, ana, launch["id"], people=passengers(2)).json()
    _email, bo = new_traveler(api)
    gone = book_as(api, bo, launch["id"], people=passengers(1)).json()
    assert api.post(f"/api/bookings/{gone['id']}/cancel", headers=bo).status_code == 200
    rows = api.get(f"/api/agency/launches/{launch['id']}/manifest", headers=agency).json()
    assert [(r["booking_id"], r["status"]) for r in rows] == [(kept["id"], "confirmed")] * 2 + [(gone["id"], "cancelled")]
    assert rows[0]["seats"] == 2 and rows[0]["paid_cents"] == 500_100 and rows[0]["birth_date"] and rows[0]["phone"]
    assert rows[2]["refund_cents"] == 225_045 and rows[2]["refund_percent"] == 90
    report = api.get(f"/api/agency/launches/{launch['id']}/manifest.csv", headers=agency)
    today = date.today().isoformat()
    assert report.status_code == 200 and f'filename="manifest-{launch["slug"]}-{today}.csv"' in report.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(report.text)))
    assert [r["Status"] for r in table] == ["confirmed", "confirmed", "cancelled"]
    assert table[0]["Booking paid"] == "$5,001.00" and table[2]["Booking refunded"] == "$2,250.45"
    # The file name follows the day it is taken, whatever day that is.
    actor = authenticate(agency["Authorization"].split()[1])
    assert launch_reports.manifest_csv(actor, launch["id"], today=date(2031, 2, 3))[0].endswith("-2031-02-03.csv")
    _e, stranger = new_traveler(api)
    assert api.get(f"/api/agency/launches/{launch['id']}/manifest", headers=new_agency(api)).status_code == 404
    assert api.get(f"/api/agency/launches/{launch['id']}/manifest.csv", headers=stranger).status_code == 403
