"""The JSON API (`/api`, OpenAPI at `/api/openapi.json`, browsable docs at `/api/docs`).

Reads are public where the pages are public; writes need a session (with its
CSRF token) or a bearer token (`Authorization: Bearer jrg_...`, from
`jaringan token USER`; see `jaringan.network.auth`). The project's errors map to 400/403/404/409/503
(`jaringan.errors.HTTP_STATUS`), and every other error takes the same shape, `{"detail": "...", "code": "...",
"errors": {field: [messages]}}` (see `jaringan.api_errors`).
"""

from __future__ import annotations

from jaringan.analysis.api import router as analysis_router
from jaringan.api_errors import DocumentedAPI
from jaringan.bibliographies.api import router as bibliographies_router
from jaringan.catalog.api import router as catalog_router
from jaringan.discovery.api import router as discovery_router
from jaringan.harvesting.api import router as harvesting_router
from jaringan.ill.web.api import router as ill_router
from jaringan.network.api import router as network_router
from jaringan.network.border_api import router as border_router
from jaringan.reciprocal.api import router as reciprocal_router
from jaringan.serials.api import router as serials_router

api = DocumentedAPI(
    title="Jaringan API",
    version="1",
    description="Libraries, networks, memberships and agreements of a library cooperation network.",
    urls_namespace="api",
)

api.add_router("/", network_router)
api.add_router("/", border_router)
api.add_router("/", catalog_router)
api.add_router("/", discovery_router)
api.add_router("/", harvesting_router)
api.add_router("/", ill_router)
api.add_router("/", analysis_router)
api.add_router("/", bibliographies_router)
api.add_router("/", serials_router)
api.add_router("/", reciprocal_router)
