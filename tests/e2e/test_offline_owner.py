"""A phone shared by two learners: what one of them made offline is never recorded as the other's.

Asha answers a question on a kept page away from the hub; before the phone is back, Baraka is
the one signed in on it. Back on the hub's Wi-Fi the answer is refused for Baraka and waits on
the phone; when Asha signs in again it is sent, checked by the hub and recorded as hers, dated
when she made it.
"""
from __future__ import annotations

import pytest

from tests.e2e.learner import answer, exercise_question, needs_packs, open_resource, query, sign_up
from tests.e2e.test_offline_phone import controlled_page

pytestmark = pytest.mark.e2e
READING = "org.communityhub.reading"
NOTHING_WAITS = "() => hubOffline.pending().then(p => p.events + p.posts === 0)"


def session_cookies(context):
    found = [c for c in context.cookies() if c["name"] == "hub_session"]
    assert found, "the hub's session cookie"
    return found


def test_an_answer_kept_for_one_learner_is_refused_for_another_and_sent_for_her(hub, new_context):
    needs_packs(hub)
    page = controlled_page(new_context, hub)
    asha = sign_up(hub, page, name="Asha Owner")
    asha_cookies = session_cookies(page.context)
    open_resource(page, READING, "seeds-quiz-en")
    page.click(".keep .keep-add")
    page.locator(".keep .keep-done").wait_for(state="visible", timeout=30_000)

    other = new_context(viewport="phone").new_page()
    baraka = sign_up(hub, other, name="Baraka Other")
    baraka_cookies = session_cookies(other.context)

    page.context.set_offline(True)
    question, right, _wrong = exercise_question(READING, "seeds-quiz-en")
    open_resource(page, READING, "seeds-quiz-en")
    answer(page, question, right)
    assert "Your answer is saved" in page.locator("h1").first.inner_text()
    # The answer waits (and the time seen on the question page may wait beside it, as events).
    assert page.evaluate("() => hubOffline.pending()")["posts"] == 1

    # Baraka signs in on the same phone before it is back on the hub's Wi-Fi.
    page.context.clear_cookies()
    page.context.add_cookies(baraka_cookies)
    page.context.set_offline(False)
    page.evaluate("() => hubOffline.flush()")
    assert page.evaluate("() => hubOffline.pending()")["posts"] == 1  # refused for Baraka: it waits
    answered = "SELECT count(*) FROM events WHERE actor = ? AND verb = 'answered'"
    assert query(hub, answered, [baraka["actor"]])[0][0] == 0
    assert query(hub, answered, [asha["actor"]])[0][0] == 0

    # Asha signs in again: her answer goes, checked by the hub, as hers.
    page.context.clear_cookies()
    page.context.add_cookies(asha_cookies)
    page.goto("/offline")
    page.wait_for_function(NOTHING_WAITS)
    mine = "SELECT score, sent_at IS NOT NULL FROM events WHERE actor = ? AND verb = 'answered'"
    for _ in range(50):  # the queue shows empty while its last answer is still on its way
        if query(hub, mine, [asha["actor"]]):
            break
        page.wait_for_timeout(100)
    assert query(hub, mine, [asha["actor"]]) == [(1.0, 1)]
    assert query(hub, answered, [baraka["actor"]])[0][0] == 0
