"""The services the routes use, built on demand from the factories the app was given.

Services are imported by the routes that use them: a cold start loads only the shapes, and
each request path loads the code it runs (the diff engine, comparison, search).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from report_tracker.errors import NotFound

if TYPE_CHECKING:
    from report_tracker.services.catalog import Catalog
    from report_tracker.services.recycled import RecycledService
    from report_tracker.services.search import SearchService
    from report_tracker.services.templates import TemplateService
    from report_tracker.services.uploads import CompletionDesk, UploadDesk
    from report_tracker.services.yoy import YoyService


@dataclass(frozen=True)
class Services:
    catalog_factory: Callable[[], Catalog]
    completion_factory: Callable[[], CompletionDesk] | None = None
    upload_factory: Callable[[], UploadDesk] | None = None

    def catalog(self) -> Catalog:
        return self.catalog_factory()

    def completions(self) -> CompletionDesk:
        if self.completion_factory is None:
            raise NotFound("completing uploads is not enabled on this API")
        return self.completion_factory()

    def uploads(self) -> UploadDesk:
        if self.upload_factory is None:
            raise NotFound("uploading over HTTP is not enabled on this API")
        return self.upload_factory()

    def yoy(self) -> YoyService:
        from report_tracker.services.yoy import YoyService  # noqa: PLC0415

        store = self.catalog_factory()
        return YoyService(store.table, store.archive)

    def search(self) -> SearchService:
        from report_tracker.services.search import SearchService  # noqa: PLC0415

        store = self.catalog_factory()
        return SearchService(store.table, store.archive, store.search_engine)

    def templates(self) -> TemplateService:
        from report_tracker.services.templates import TemplateService  # noqa: PLC0415

        store = self.catalog_factory()
        return TemplateService(store.table, store.archive)

    def recycled(self) -> RecycledService:
        from report_tracker.services.recycled import RecycledService  # noqa: PLC0415

        return RecycledService(self.catalog_factory())
