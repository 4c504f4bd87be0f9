"""The load test's people: 80 employees saving answers, 15 managers opening dashboards, 5 HR users exporting.

Run by bench/loadtest/run.py (`make loadtest`), which prepares the people and their assessments in
LOADTEST_PLAN (JSON) and reads back what was sent (LOADTEST_SENT). With several servers in
LOADTEST_HOSTS, every request goes to the next server in turn: sessions live in the database, so any
server can answer any request. Traffic only goes to 127.0.0.1.
"""

import itertools
import json
import os
import random
import re
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115
HOSTS = os.environ["LOADTEST_HOSTS"].split(",")
assert all(urlsplit(h).hostname == "127.0.0.1" for h in HOSTS), "the load test only runs against 127.0.0.1"  # noqa: S101
PASSWORD = PLAN["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SENT = {}  # (assessment, competency) -> [current, desired, note] of the last save answered 200
# Saves sent but not answered yet: when locust stops, the server may have stored one of these or not.
IN_FLIGHT = {}
_hosts = itertools.cycle(HOSTS)
# Everyone logs in first (a password check costs about half a second of processor time); the figures
# count from the moment the last person is logged in. From then on people arrive over ARRIVAL seconds, as
# they would at the start of a working day, instead of all 100 sending their first request in the same
# instant (a burst the barrier makes, not the people).
USERS = 100
ARRIVAL = 10
_logged_in = []
_everyone_in = Event()
_people = {kind: itertools.cycle(PLAN[kind]) for kind in ("employees", "managers", "hr")}


class Person(HttpUser):
    abstract = True
    host = HOSTS[0]
    kind = ""

    def url(self, path):
        return next(_hosts) + path

    def on_start(self):
        self.me = next(_people[self.kind])
        # The app runs as in production (secure cookies) behind a pretend TLS proxy; requests would
        # not send Secure cookies over plain http to 127.0.0.1, so they are kept as plain cookies.
        self.client.headers["X-Forwarded-Proto"] = "https"
        send = self.client.request

        def request(*args, **kwargs):
            _plain_cookies(self.client.cookies)
            return send(*args, **kwargs)

        self.client.request = request
        url = self.url("/accounts/login/")
        page = self.client.get(url, name="login page")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            url,
            {"username": self.me["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": referer(url)},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise StopUser(f"login failed for {self.me['username']}: {response.status_code}")
        self.csrf = self.client.cookies.get("csrftoken")
        _logged_in.append(self.me["username"])
        if len(_logged_in) == USERS:
            self.environment.runner.stats.reset_all()
            _everyone_in.set()
        _everyone_in.wait()
        gevent.sleep(random.uniform(0, ARRIVAL))  # noqa: S311 - spreading arrivals, not security


def _plain_cookies(jar):
    """Send Secure cookies over plain http to 127.0.0.1, as behind a TLS-terminating proxy: the app runs with
    its production settings (secure cookies), and requests would not send them to an http:// URL."""
    from requests.cookies import create_cookie

    for cookie in [c for c in jar if c.secure]:
        jar.set_cookie(create_cookie(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path, secure=False))


def referer(url):
    """The https form of a URL: Django's CSRF check compares the Referer with the (pretend TLS) origin."""
    return "https://" + url.split("://", 1)[1]


class Employee(Person):
    """Opens the self-assessment once, then answers one competency after another."""

    fixed_count = 80
    kind = "employees"
    wait_time = between(1, 3)

    def on_start(self):
        super().on_start()
        self.assessment = self.me["assessment"]
        self.versions = {int(k): v for k, v in self.me["versions"].items()}
        self.competencies = itertools.cycle(self.me["competencies"])
        self.count = 0
        self.client.get(self.url(f"/assessments/{self.assessment}/"), name="form")

    @task
    def save(self):
        competency = next(self.competencies)
        self.count += 1
        answer = [1 + self.count % 5, 1 + (self.count + 2) % 5, f"loadtest {self.me['username']} {self.count}"]
        url = self.url(f"/assessments/{self.assessment}/ratings/{competency}/")
        key = f"{self.assessment}:{competency}"
        IN_FLIGHT[key] = answer
        with self.client.post(
            url,
            {
                # The form's fields carry the competency's prefix (assessments.answers.prefix), as on the page.
                f"{prefix}-{name}": value
                for prefix in [PLAN["prefixes"][str(competency)]]
                for name, value in (
                    ("current_level", answer[0]),
                    ("desired_level", answer[1]),
                    ("note", answer[2]),
                    ("version", self.versions.get(competency, 0)),
                )
            },
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf, "Referer": referer(url)},
            name="save",
            catch_response=True,
        ) as response:
            IN_FLIGHT.pop(key, None)
            if response.status_code == 200:
                self.versions[competency] = self.versions.get(competency, 0) + 1
                SENT[key] = answer
                response.success()
            else:
                response.failure(f"{response.status_code}")


class Manager(Person):
    """Opens the team dashboard of a unit they manage."""

    fixed_count = 15
    kind = "managers"
    wait_time = between(2, 5)

    @task
    def dashboard(self):
        self.client.get(self.url(f"/reports/units/{self.me['unit']}/"), name="dashboard")


class HR(Person):
    """Exports the ratings of a department now and then, reading the whole stream."""

    fixed_count = 5
    kind = "hr"
    wait_time = between(10, 20)

    @task
    def export(self):
        query = f"?round={self.me['round']}&unit={self.me['unit']}"
        with self.client.get(self.url(f"/exports/ratings.csv{query}"), name="export", catch_response=True) as response:
            size = len(response.content or b"")  # None when the connection failed
            if response.status_code != 200 or size == 0:
                response.failure(f"{response.status_code}, {size} bytes")


@events.quitting.add_listener
def write_sent(environment, **kwargs):
    with open(os.environ["LOADTEST_SENT"], "w") as out:
        json.dump({"accepted": SENT, "in_flight": IN_FLIGHT}, out)
