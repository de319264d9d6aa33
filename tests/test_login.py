"""Admin login: wrong passwords lock one username at one address out (django-axes); where a login lands."""

import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from aidmap.client_ip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase"
LIMIT = 5


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD, is_staff=True)


def log_in(username, password, address="203.0.113.7", next_url="/admin/"):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/", {"username": username, "password": password, "next": next_url})
    return client, response


def fail(times, username="alice", address="203.0.113.7"):
    for _ in range(times):
        log_in(username, "wrong-password", address)


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_right_password_logs_in(alice):
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in(client)


def test_after_five_wrong_passwords_even_the_right_one_is_refused(alice):
    fail(LIMIT - 1)
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 302  # four failures are not yet a lock-out
    fail(LIMIT)
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lock_out_holds_one_username_at_one_address(alice, django_user_model):
    django_user_model.objects.create_user("bob", password=PASSWORD, is_staff=True)
    fail(LIMIT)
    assert log_in("alice", PASSWORD)[1].status_code == 429
    assert log_in("alice", PASSWORD, address="198.51.100.2")[1].status_code == 302
    assert log_in("bob", PASSWORD)[1].status_code == 302


def test_axes_reset_lifts_the_lock_out(alice):
    fail(LIMIT)
    assert log_in("alice", PASSWORD)[1].status_code == 429
    call_command("axes_reset", stdout=io.StringIO())
    client, response = log_in("alice", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_behind_the_trusted_proxy_each_client_is_locked_out_alone(alice):
    def through_proxy(client_address):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {client_address}")
        return client.post("/admin/login/", {"username": "alice", "password": PASSWORD, "next": "/admin/"})

    fail(LIMIT, address="127.0.0.1")  # the proxy's own address is not the client's
    for _ in range(LIMIT):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").post(
            "/admin/login/", {"username": "alice", "password": "wrong-password"})
    assert through_proxy("203.0.113.9").status_code == 429
    assert through_proxy("198.51.100.2").status_code == 302


@override_settings(FORWARDED_ALLOW_IPS=["127.0.0.1"])
def test_forwarded_for_is_believed_only_from_the_trusted_proxy(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.2", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "198.51.100.2"
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.2")) == "198.51.100.2"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/admin/", ""])
def test_a_login_with_an_unsafe_or_no_next_lands_on_the_admin_index(alice, next_url):
    client, response = log_in("alice", PASSWORD, next_url=next_url)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200
