"""The framework list before any framework is loaded (apart: test_pages.py loads them once per module)."""

from django.urls import reverse

from .test_pages import to_english


def test_empty_list_explains_what_to_do(client_for, employee, hr, db):
    client = client_for(employee)
    to_english(client)
    html = client.get(reverse("competencies:list")).content.decode()
    assert "load_frameworks" in html
    html = client_for(hr).get(reverse("competencies:list")).content.decode()
    assert reverse("competencies:own_create") in html
