"""The demo without frameworks (a module of its own: test_demo.py seeds once per module)."""

from assessments.models import Round
from organisation.demo import seed_demo


def test_without_frameworks_the_rounds_are_skipped(db):
    lines = []
    seed_demo(employees=10, log=lines.append)
    assert not Round.objects.exists()
    assert any("demo rounds skipped" in line for line in lines)
