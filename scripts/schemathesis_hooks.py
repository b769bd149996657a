"""Schemathesis hooks for scripts/schemathesis.

JSON Schema cannot state a rule that ties two fields together, or one that depends on the
instance's settings, so the OpenAPI document states these in words (and lists their 400):

- an order must come to more than zero after its discounts, and to at most 99999999 cents;
- a line's unit_discount_amount is at most its unit_amount;
- a hand-over's return_url must be on one of the store's origins;
- a refund names an amount or lines, not both, and only lines (and units) the order has;
- a cursor is one the API gave, a date or instant exists, `from` is not after `to`.

A schema-valid request refused by exactly one of those rules, with the documented message, is
not a disagreement between the app and its document. Every other refusal of schema-valid data
still fails the run.
"""

import json
import re

import schemathesis

# The start of each refusal the document states, by operation.
STATED_RULES = {
    "POST /api/v1/orders": [
        re.compile(r"^discounts: the order must come to more than zero after its discounts$"),
        re.compile(r"^lines\[\d+\]\.unit_discount_amount: must be between 0 and unit_amount$"),
        re.compile(r"^lines: the order comes to more than 99999999 cents"),
    ],
    "POST /api/v1/orders/{store_order_id}/refunds": [
        re.compile(r"^send either amount or lines, not both"),
        re.compile(r"^lines\[\d+\]\.line: the order has no line \d+ "),
        re.compile(r"^lines\[\d+\]\.quantity: between 1 and \d+ units of line \d+ can be refunded$"),
    ],
    "GET /api/v1/payments": [
        re.compile(r"^cursor is not one of ours: "),
        re.compile(r"^(from|to) must be an RFC 3339 instant such as "),
        re.compile(r"^from must not be after to$"),
    ],
    "GET /api/v1/reconciliation": [
        re.compile(r"^cursor is not one of ours: "),
        re.compile(r"^date must be a date as YYYY-MM-DD"),
    ],
    "POST /api/v1/handovers": [
        re.compile(r"^return_url is on \S+, which is not an origin of the store; allowed: "),
    ],
}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """False (drop it) for a schema-valid request refused by a rule the document states."""
    if failure.code != "ST202" or response.status_code != 400:
        return True
    rules = STATED_RULES.get(f"{case.operation.method.upper()} {case.operation.path}", [])
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return True
    if error.get("code") != "invalid_request":
        return True
    message = str(error.get("message", ""))
    return not any(rule.search(message) for rule in rules)
