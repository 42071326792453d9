"""No page shows a raw code or an English word to a French reader.

On the real platform with its demo data (``mutualis run``), each demo account signs in and
follows every link of the pages it can reach (same site, GET; at most ``PER_SHAPE`` pages of the
same shape, ``/titres/12`` and ``/titres/13`` being one shape). The text a person reads — the
page's text, ``title``, ``aria-label``, ``placeholder`` and ``alt`` — must hold none of the
English words of ``ENGLISH`` nor a code: a ``snake_case`` identifier, a quarter written
``2025-Q1``, an ``urn:mutualis:problem:`` type. Left out, on purpose: the text of ``<code>``,
``<kbd>`` and ``<samp>`` (column names a person types in an import file, shown as such), e-mail
addresses and URLs. Every CSV export met on the way is read too: ``;`` separated, French
headers.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.e2e.conftest import Platform

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password
ACCOUNTS = [
    "admin@dsit.example",
    "finance@dsit.example",
    "dpo@dsit.example",
    "projets@dsit.example",
    "signataire@dsit.example",
    "referent@ludres.example",
]
PER_SHAPE = 2
MAX_PAGES = 1500  # the demo: about 550 pages for the admin
NOT_FOLLOWED = ("/deconnexion", "/static/", "/connexion")
# English words (and English status codes) that French prose never uses; words spelled alike
# in both languages (date, total, page, final, direct, active, note…) are not in the list
ENGLISH = {
    *"the and of is are not should must invalid required error errors field value input".split(),
    *"string missing none null true false yes pending draft retired issued".split(),
    *"prepared cancelled canceled forecast running queued done failed succeeded".split(),
    *"operating investment workstation workstations server network storage member".split(),
    *"members run runs build deploy study settings submit save delete edit create".split(),
    *"update cancel back next previous amount status name search".split(),
    *"open closed unknown warning success with without from this that your".split(),
}
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[A-Za-zÀ-ÿ]+)?")
CODES = [
    re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),  # snake_case
    re.compile(r"\b\d{4}-Q[1-4]\b"),  # a quarter's code
    re.compile(r"urn:mutualis"),
]
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|/[a-z0-9/_.-]+\.[a-z]{2,4}\b")
UNREAD = ("script", "style", "code", "kbd", "samp", "template", "noscript")
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class PageText(HTMLParser):
    """The text a person reads on a page, and the links it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in UNREAD:
            self._skipping.append(tag)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))  # downloads too: CSV exports are read
        if tag == "input" and values.get("type") == "hidden":
            return
        self.texts.extend(str(values[a]) for a in READ_ATTRIBUTES if values.get(a))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(data)


def faults_of(text: str) -> list[str]:
    """The English words and codes in a text a person reads."""
    text = ADDRESSES.sub(" ", text)
    found = [w for w in WORD.findall(text) if w.lower() in ENGLISH]
    for pattern in CODES:
        found.extend(pattern.findall(text))
    return found


def shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(re.sub(r"=.*", "=", q) for q in parts.query.split("&") if q))
    return re.sub(r"\d+", "N", parts.path) + ("?" + query if query else "")


def sign_in(client: httpx.Client, email: str) -> None:
    form = client.get("/connexion")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        "/connexion", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303, answer.text


def check_csv(url: str, response: httpx.Response, problems: list[str]) -> None:
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0] if text else ""
    if ";" not in header and "," in header:
        problems.append(f"{url}: CSV separated by commas: {header[:80]}")
    names = next(csv.reader(io.StringIO(header), delimiter=";"), [])
    for name in names:
        faults = faults_of(name.replace("_", " ")) + CODES[0].findall(name)
        if faults:
            problems.append(f"{url}: CSV header '{name}' ({', '.join(faults)})")


def walk(platform: Platform, email: str) -> tuple[list[str], int]:
    """The faults of every page ``email`` reaches, and how many pages were read."""
    base = platform.url("web")
    problems: list[str] = []
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        sign_in(client, email)
        queue: deque[str] = deque(["/"])
        seen: set[str] = set()
        shapes: Counter[str] = Counter()
        read = 0
        while queue and read < MAX_PAGES:
            url = queue.popleft()
            if url in seen or shapes[shape(url)] >= PER_SHAPE:
                continue
            seen.add(url)
            shapes[shape(url)] += 1
            response = client.get(url)
            read += 1
            if response.status_code in (301, 302, 303, 307):
                queue.append(_local(base, url, response.headers["location"]) or "/")
                continue
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
                continue
            kind = response.headers.get("content-type", "")
            if kind.startswith("text/csv"):
                check_csv(url, response, problems)
                continue
            if not kind.startswith("text/html"):
                continue
            parser = PageText()
            parser.feed(response.text)
            for text in parser.texts:
                faults = faults_of(text)
                if faults:
                    problems.append(
                        f"{url}: {', '.join(faults)} in «{' '.join(text.split())[:90]}»"
                    )
            for href in parser.links:
                local = _local(base, url, href)
                if local and local not in seen:
                    queue.append(local)
    return problems, read


def _local(base: str, current: str, href: str) -> str | None:
    target = urlsplit(urljoin(base + current, href))
    if target.netloc != urlsplit(base).netloc or target.scheme not in ("http", "https"):
        return None
    path = target.path + ("?" + target.query if target.query else "")
    if any(target.path.startswith(p) for p in NOT_FOLLOWED):
        return None
    return path


@pytest.mark.parametrize("email", ACCOUNTS)
def test_no_page_of_any_role_shows_english_or_codes(platform: Platform, email: str) -> None:
    problems, read = walk(platform, email)
    assert read >= (100 if email.endswith("@dsit.example") else 10), f"{email}: {read} pages"
    assert read < MAX_PAGES, "the walk stopped before the end: raise MAX_PAGES"
    unique = sorted(set(problems))
    assert not unique, f"{len(unique)} faults on {read} pages of {email}:\n" + "\n".join(
        unique[:80]
    )


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("Rôle : it_referent", ["it_referent"]),
        ("Trimestre 2025-Q1", ["2025-Q1"]),
        ("String should have at least 2 characters", ["should", "String"]),
        ("Statut : pending", ["pending"]),
        ("Écrire à referent@ludres.example ou voir https://x.test/a_b", []),
        ("Ville de Ludres — 1 234,56 € — Total", []),
    ],
)
def test_the_walk_sees_what_it_must(text: str, faults: list[str]) -> None:
    assert sorted(faults_of(text)) == sorted(faults)
