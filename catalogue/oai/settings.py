"""The repository's settings for one request: names, addresses and the page size.

Read from the app's config (``OAI_*`` keys, all optional) by the blueprint; everything
below it gets this one object, never ``current_app``.

===================== ================================ =====================================
key                   default                          what
===================== ================================ =====================================
OAI_REPOSITORY_ID     ``sandyq.kz``                    identifiers ``oai:<id>:<uuid>``
OAI_REPOSITORY_NAME   the catalogue's Kazakh name      Identify's repositoryName
OAI_ADMIN_EMAILS      ``("oai@sandyq.kz",)``           Identify's adminEmail (one or more)
OAI_PAGE_SIZE         100                              records or headers per response
PUBLIC_URL            the request's host               base of the baseURL and resource links
===================== ================================ =====================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_REPOSITORY_ID = "sandyq.kz"
DEFAULT_REPOSITORY_NAME = "Sandyq: сандық білім беру ресурстарының каталогы"
DEFAULT_ADMIN_EMAILS = ("oai@sandyq.kz",)
DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class OaiSettings:
    repository_id: str
    repository_name: str
    admin_emails: tuple[str, ...]
    #: The site's root (no trailing slash), for the baseURL and the resources' links.
    site_url: str
    page_size: int
    #: Signs resumption tokens, so a harvester cannot forge a position.
    secret: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any], request_root: str) -> OaiSettings:
        emails = config.get("OAI_ADMIN_EMAILS", DEFAULT_ADMIN_EMAILS)
        if isinstance(emails, str):
            emails = (emails,)
        page_size = int(config.get("OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE))
        if page_size < 1:
            raise ValueError(f"OAI_PAGE_SIZE must be at least 1 (got {page_size})")
        return cls(
            repository_id=str(config.get("OAI_REPOSITORY_ID", DEFAULT_REPOSITORY_ID)),
            repository_name=str(config.get("OAI_REPOSITORY_NAME", DEFAULT_REPOSITORY_NAME)),
            admin_emails=tuple(str(email) for email in emails),
            site_url=str(config.get("PUBLIC_URL") or request_root).rstrip("/"),
            page_size=page_size,
            secret=str(config["SECRET_KEY"]),
        )

    @property
    def base_url(self) -> str:
        return f"{self.site_url}/oai"

    def identifier(self, uuid: str) -> str:
        return f"oai:{self.repository_id}:{uuid}"

    def uuid_of(self, identifier: str) -> str | None:
        """The resource UUID an identifier of ours names, else ``None``."""
        prefix = f"oai:{self.repository_id}:"
        if not identifier.startswith(prefix):
            return None
        return identifier[len(prefix) :] or None

    # The catalogue's public addresses of a resource, served by other blueprints: these
    # two lines follow their routes (the download is ``catalogue.api.resources.package``).
    def page_url(self, uuid: str) -> str:
        return f"{self.site_url}/resources/{uuid}"

    def package_url(self, uuid: str) -> str:
        return f"{self.site_url}/api/v1/resources/{uuid}/package"
