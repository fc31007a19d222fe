#!/usr/bin/env python3
"""Writes config/demo-library.json, the ils-emulator's demo tenant, deterministically.

Usage: tools/ils-emulator/make_demo_library.py [OUTPUT]   (default: config/demo-library.json)
Every name, barcode and address is fictional. Re-running gives byte-identical output.
"""
import json
import sys
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("5b1f3d0e-8c7a-4c2e-9a51-3f0d6a7e2b44")
PATRONS = 60
ITEMS = 520

# mod-patron-blocks' fixed condition ids.
FEE_BALANCE = "cf7a0d5f-a327-4ca1-aa9e-dc55ec006b8a"
OVERDUE_ITEMS = "584fbd4f-6a34-4730-a6ca-73a6a6a9d845"
ITEMS_CHARGED = "3d7c52dc-c732-4223-8bf8-e5917801386f"


def uid(kind, n):
    return str(uuid.uuid5(NAMESPACE, f"sip2gw-demo/{kind}/{n}"))


def luhn(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        v = int(d) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return digits + str((10 - total % 10) % 10)


def patron_barcode(n):
    return luhn(f"21234{n:08d}")


def item_barcode(n):
    return luhn(f"31234{n:08d}")


SP_MAIN, SP_EAST = uid("sp", "main"), uid("sp", "east")
LOC_STACKS, LOC_REF, LOC_EAST = uid("loc", "stacks"), uid("loc", "ref"), uid("loc", "east")
GROUPS = {"undergrad": uid("group", "undergrad"), "graduate": uid("group", "graduate"),
          "staff": uid("group", "staff")}
POL_STANDARD, POL_SHORT = uid("policy", "standard"), uid("policy", "short")
POL_STAFF, POL_NONCIRC = uid("policy", "staff"), uid("policy", "noncirc")
MATERIAL = {"book": uid("mt", "book"), "dvd": uid("mt", "dvd"),
            "reference": uid("mt", "reference")}
LOCATIONS = {LOC_STACKS: "Main Library Stacks", LOC_REF: "Main Library Reference",
             LOC_EAST: "Eastside Branch Stacks"}
OWNER = uid("owner", "main")

# Named test identities: patron number -> (first, last, PIN, what it demonstrates).
NAMED_PATRONS = {
    1: ("Ada", "Reader", "1234", "normal patron with PIN and password"),
    2: ("Boris", "Blocked", "2222", "manual block"),
    3: ("Clara", "Owing", "3333", "automated block: fee balance over the limit"),
    4: ("Dmitri", "Expired", "4444", "expired patron"),
    5: ("Erin", "Inactive", "5555", "inactive patron"),
    6: ("Farah", "Fines", "6666", "several payable fees"),
    7: ("Gus", "Overdue", "7777", "overdue loans"),
    8: ("Hana", "Holds", "8888", "hold awaiting pickup"),
    9: ("Ivo", "Renewed", "9999", "loan at the renewal limit"),
    10: ("Jun", "Staff", "1010", "staff group, 8-week loans"),
}
FIRST = ["Alex", "Blair", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper", "Indy", "Jordan",
         "Kai", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Riley", "Sage", "Taylor"]
LAST = ["Abbott", "Bramble", "Copperfield", "Dunmore", "Ellery", "Fairweather", "Goodbody",
        "Hollis", "Ingram", "Jessop", "Kettering", "Larkspur", "Merriweather", "Northcott",
        "Oakhurst", "Pemberton", "Quarry", "Rowntree", "Sallow", "Thistlewood"]
ADJ = ["Silent", "Hidden", "Winter", "Copper", "Glass", "Northern", "Velvet", "Lost", "Paper",
       "Quiet", "Amber", "Hollow", "Distant", "Crimson", "Patient", "Restless"]
NOUN = ["Garden", "Harbour", "Cartographer", "Orchard", "Lighthouse", "Archive", "River",
        "Clockmaker", "Meadow", "Observatory", "Kingdom", "Ferry", "Library", "Engine"]
STREETS = ["Elm Street", "Harbour Road", "Mill Lane", "Orchard Way", "Station Road", "High Street"]


def patron(n):
    first, last, pin, _ = NAMED_PATRONS.get(
        n, (FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)], None, None))
    barcode = patron_barcode(n)
    group = "staff" if n == 10 or n % 15 == 0 else ("graduate" if n % 4 == 0 else "undergrad")
    user = {
        "id": uid("user", n),
        "username": f"{first.lower()}.{last.lower()}{n}",
        "externalSystemId": f"ext-{n:05d}",
        "barcode": barcode,
        "active": n != 5,
        "type": "patron",
        "patronGroup": GROUPS[group],
        "enrollmentDate": "2023-09-01T00:00:00.000+00:00",
        "expirationDate": "2024-01-31T23:59:59.000+00:00" if n == 4 else
                          "2099-12-31T23:59:59.000+00:00",
        "personal": {
            "lastName": last, "firstName": first,
            "email": f"{first.lower()}.{last.lower()}{n}@example.org",
            "phone": f"555-01{n % 100:02d}",
            "addresses": [{"addressLine1": f"{10 + n} {STREETS[n % len(STREETS)]}",
                           "city": "Riverton", "region": "RV", "postalCode": f"{90000 + n}",
                           "primaryAddress": True}],
            "preferredContactTypeId": "002",
        },
        "pin": pin or barcode[-4:],
    }
    if n == 1:
        user["password"] = "reader-pass-1"
    return user


def item_kind(n):
    if n == 5 or (n > 20 and n % 50 == 0):
        return "reference"
    if n == 2 or (n > 20 and n % 10 == 0):
        return "dvd"
    return "book"


def inventory(n):
    kind = item_kind(n)
    location = LOC_REF if kind == "reference" else (LOC_EAST if n == 8 or n % 7 == 0 else LOC_STACKS)
    title = f"The {ADJ[n % len(ADJ)]} {NOUN[(n * 3) % len(NOUN)]}"
    if n > len(ADJ) * len(NOUN) // 4:
        title += f", Volume {n % 9 + 1}"
    call_number = f"PR{6000 + n}.{LAST[n % len(LAST)][0]}{n % 97} {2000 + n % 24}"
    instance = {"id": uid("instance", n), "hrid": f"in{n:05d}", "title": title,
                "contributors": [{"name": f"{LAST[(n * 5) % len(LAST)]}, {FIRST[n % len(FIRST)]}",
                                  "primary": True}]}
    holdings = {"id": uid("holdings", n), "instanceId": instance["id"],
                "permanentLocationId": location, "callNumber": call_number}
    status = {6: "Missing", 7: "In transit"}.get(n, "Available")
    item = {"id": uid("item", n), "hrid": f"it{n:05d}", "barcode": item_barcode(n),
            "holdingsRecordId": holdings["id"], "copyNumber": "1",
            "status": {"name": status, "date": "2025-01-06T09:00:00.000+00:00"},
            "materialType": {"id": MATERIAL[kind], "name": kind},
            "permanentLoanType": {"id": uid("loantype", "can-circulate"), "name": "Can circulate"},
            "effectiveLocation": {"id": location, "name": LOCATIONS[location]},
            "permanentLocation": {"id": location, "name": LOCATIONS[location]}}
    if n == 7:
        item["inTransitDestinationServicePointId"] = SP_EAST
    return instance, holdings, item


def policy(pid, name, loanable, duration=None, interval=None, renewals=0):
    p = {"id": pid, "name": name, "loanable": loanable}
    if loanable:
        p["loansPolicy"] = {"profileId": "Rolling",
                            "period": {"duration": duration, "intervalId": interval}}
        p["renewable"] = renewals > 0
        p["renewalsPolicy"] = {"numberAllowed": renewals, "renewFromId": "CURRENT_DUE_DATE",
                               "unlimited": False}
        p["requestManagement"] = {"holds": {"renewItemsWithRequest": False}}
    return p


def account(n, user, amount, fee_type, item=None):
    a = {"id": uid("account", n), "userId": uid("user", user), "feeFineId": uid("feefine", fee_type),
         "ownerId": OWNER, "feeFineType": fee_type, "feeFineOwner": "Main Library",
         "amount": amount, "remaining": amount, "status": {"name": "Open"},
         "paymentStatus": {"name": "Outstanding"},
         "dateCreated": f"2025-0{1 + n % 8}-{10 + n:02d}T10:00:00.000+00:00"}
    if item:
        instance, _, it = inventory(item)
        a.update({"barcode": it["barcode"], "itemId": it["id"], "title": instance["title"]})
    return a


def build():
    instances, holdings, items = zip(*(inventory(n) for n in range(1, ITEMS + 1)))
    loans = [
        {"itemBarcode": item_barcode(4), "userBarcode": patron_barcode(11), "dueInDays": 12},
        {"itemBarcode": item_barcode(9), "userBarcode": patron_barcode(7), "dueInDays": -9,
         "loanDaysAgo": 30},
        {"itemBarcode": item_barcode(10), "userBarcode": patron_barcode(7), "dueInDays": -3,
         "loanDaysAgo": 10},
        {"itemBarcode": item_barcode(11), "userBarcode": patron_barcode(7), "dueInDays": 14},
        {"itemBarcode": item_barcode(12), "userBarcode": patron_barcode(9), "dueInDays": 5,
         "loanDaysAgo": 58, "renewalCount": 2},
        {"itemBarcode": item_barcode(13), "userBarcode": patron_barcode(1), "dueInDays": 10},
    ]
    loans += [{"itemBarcode": item_barcode(101 + k), "userBarcode": patron_barcode(20 + k),
               "dueInDays": 5 + k} for k in range(10)]
    requests = [
        {"itemBarcode": item_barcode(3), "requesterBarcode": patron_barcode(8),
         "requestType": "Hold", "status": "Open - Awaiting pickup", "pickupServicePointId": SP_MAIN},
        {"itemBarcode": item_barcode(4), "requesterBarcode": patron_barcode(12),
         "requestType": "Hold", "pickupServicePointId": SP_MAIN},
        {"itemBarcode": item_barcode(7), "requesterBarcode": patron_barcode(13),
         "requestType": "Hold", "status": "Open - In transit", "pickupServicePointId": SP_EAST},
    ]
    fee_types = ["Overdue fine", "Lost item fee", "Replacement card", "Damaged item"]
    return {
        "description": "Demo FOLIO tenant for sip2gw (fictional data; "
                       "generated by tools/ils-emulator/make_demo_library.py)",
        "serviceUsers": [{"username": "sip2gw", "password": "sip2gw-demo-password"}],
        "tokens": {"accessTtlSeconds": 600, "refreshTtlSeconds": 604800},
        "servicePoints": [
            {"id": SP_MAIN, "name": "Main Circulation Desk", "code": "main-circ",
             "discoveryDisplayName": "Main Library", "pickupLocation": True,
             "holdShelfExpiryPeriod": {"duration": 7, "intervalId": "Days"}},
            {"id": SP_EAST, "name": "Eastside Branch Desk", "code": "east-circ",
             "discoveryDisplayName": "Eastside Branch", "pickupLocation": True,
             "holdShelfExpiryPeriod": {"duration": 5, "intervalId": "Days"}}],
        "locations": [{"id": lid, "name": name, "code": name.lower().replace(" ", "-"),
                       "primaryServicePoint": SP_EAST if lid == LOC_EAST else SP_MAIN}
                      for lid, name in LOCATIONS.items()],
        "loanPolicies": [policy(POL_STANDARD, "Standard 3 weeks", True, 3, "Weeks", 2),
                         policy(POL_SHORT, "Short loan 7 days", True, 7, "Days", 1),
                         policy(POL_STAFF, "Staff 8 weeks", True, 8, "Weeks", 5),
                         policy(POL_NONCIRC, "Non-circulating", False)],
        "circulationRules": [{"materialType": "reference", "loanPolicyId": POL_NONCIRC},
                             {"patronGroupId": GROUPS["staff"], "loanPolicyId": POL_STAFF},
                             {"materialType": "dvd", "loanPolicyId": POL_SHORT},
                             {"loanPolicyId": POL_STANDARD}],
        "blockConditions": [
            {"id": FEE_BALANCE, "name": "Maximum outstanding fee/fine balance",
             "blockBorrowing": True, "blockRenewals": True, "blockRequests": True,
             "message": "Patron has reached maximum allowed outstanding fee/fine balance for "
                        "his/her patron group"},
            {"id": OVERDUE_ITEMS, "name": "Maximum number of overdue items",
             "blockBorrowing": True, "blockRenewals": True, "blockRequests": False,
             "message": "Patron has reached maximum allowed number of overdue items"},
            {"id": ITEMS_CHARGED, "name": "Maximum number of items charged out",
             "blockBorrowing": True, "blockRenewals": False, "blockRequests": False,
             "message": "Patron has reached maximum allowed number of items charged out"}],
        "patronGroups": [
            {"id": GROUPS[g], "group": g, "desc": desc,
             "blockLimits": [{"conditionId": FEE_BALANCE, "value": fee},
                             {"conditionId": OVERDUE_ITEMS, "value": 5},
                             {"conditionId": ITEMS_CHARGED, "value": 25}]}
            for g, desc, fee in [("undergrad", "Undergraduate student", 25.0),
                                 ("graduate", "Graduate student", 25.0),
                                 ("staff", "Library staff", 50.0)]],
        "users": [patron(n) for n in range(1, PATRONS + 1)],
        "instances": list(instances),
        "holdings": list(holdings),
        "items": list(items),
        "loans": loans,
        "requests": requests,
        "feefines": [{"id": uid("feefine", t), "feeFineType": t, "ownerId": OWNER,
                      "automatic": False} for t in fee_types],
        "accounts": [account(1, 3, 30.0, "Lost item fee", 14), account(2, 3, 2.0, "Overdue fine", 15),
                     account(3, 6, 2.5, "Overdue fine", 16), account(4, 6, 5.0, "Replacement card"),
                     account(5, 6, 2.0, "Damaged item", 17)],
        "manualblocks": [{"id": uid("block", 2), "userId": uid("user", 2), "type": "Manual",
                          "desc": "Library card reported stolen",
                          "patronMessage": "Please contact the circulation desk.",
                          "staffInformation": "Card reported stolen; issue a new card.",
                          "borrowing": True, "renewals": True, "requests": True}],
    }


def main():
    root = Path(__file__).resolve().parents[2]
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "config" / "demo-library.json"
    out.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for n, (first, last, pin, what) in NAMED_PATRONS.items():
        print(f"patron {patron_barcode(n)} PIN {pin}: {first} {last}, {what}")


if __name__ == "__main__":
    main()
