"""Fixtures of the security tests: those of the web tests are needed too."""

from tests.web.conftest import web_stack  # noqa: F401 - fixture
