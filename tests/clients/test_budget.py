"""The request budget an account's sensor shows: requests in the last minute, 429s seen."""

from __future__ import annotations

from custom_components.smartlink_mclimate.clients.budget import RequestBudget


class FakeClock:
    """Monotonic seconds that move only when told."""

    now = 1000.0

    def __call__(self) -> float:
        """The time now."""
        return self.now


def test_requests_leave_the_budget_after_a_minute() -> None:
    clock = FakeClock()
    budget = RequestBudget(3, clock=clock)
    budget.record(200)
    clock.now += 30
    budget.record(200)
    budget.record(429)
    assert (budget.sent, budget.remaining, budget.rate_limited) == (3, 0, 1)

    clock.now += 30  # the first request is now a minute old
    assert (budget.sent, budget.remaining) == (2, 1)
    clock.now += 31
    assert (budget.sent, budget.remaining, budget.rate_limited) == (0, 3, 1)


def test_an_overspent_budget_has_nothing_left() -> None:
    budget = RequestBudget(1, clock=FakeClock())
    for _ in range(3):
        budget.record(0)  # no answer still costs a request
    assert (budget.sent, budget.remaining) == (3, 0)
