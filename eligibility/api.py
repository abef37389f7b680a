"""HTTP API: ``POST /v1/evaluate``, ``GET /v1/rights``, ``GET /health``.

The engine loads and warms up in a background thread after the server starts listening, so
``/health`` answers 503 (and evaluations 503) until it is ready, then 200.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from commune import load_commune
from eligibility.batcher import Batcher
from eligibility.engine import Engine
from eligibility.models import (
    CatalogueEntry,
    EvaluateRequest,
    EvaluateResponse,
    HealthResponse,
    NotReadyResponse,
    ValidationErrorResponse,
)
from eligibility.rights import CATALOGUE, explain

log = logging.getLogger(__name__)
NOT_READY = {"status": "starting", "detail": "le moteur de calcul se charge"}
CALCULATION_FAILED = {"status": "error", "detail": "le calcul est indisponible pour le moment"}


class State:
    engine: Engine | None = None
    batcher: Batcher | None = None
    warmup_seconds: float | None = None
    error: str | None = None


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part != "body"]
    return ".".join(parts) or "body"


def create_app(engine: Engine | None = None, commune_path: str | None = None) -> FastAPI:
    """Build the app; pass an already loaded ``engine`` to skip loading (tests)."""
    state = State()
    commune = load_commune(commune_path)

    async def load() -> None:
        loop = asyncio.get_running_loop()
        try:
            started = time.perf_counter()
            loaded = engine or await loop.run_in_executor(None, Engine)
            loaded_at = time.perf_counter()
            await loop.run_in_executor(None, loaded.warm_up)
            state.warmup_seconds = round(time.perf_counter() - started, 2)
            log.info(
                "tax-benefit system loaded in %.1f s, warmed up in %.1f s",
                loaded_at - started,
                time.perf_counter() - loaded_at,
            )
            state.batcher = Batcher(loaded)
            state.batcher.start()
            state.engine = loaded
            log.info("eligibility engine ready in %.1f s", state.warmup_seconds)
        except Exception as error:  # keep serving 503 with the reason rather than dying silently
            state.error = f"{type(error).__name__}: {error}"
            log.exception("eligibility engine failed to load")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        task = asyncio.create_task(load())
        yield
        task.cancel()
        if state.batcher:
            await state.batcher.stop()

    app = FastAPI(
        title="Relais — service d'éligibilité",
        version="1.0.0",
        description=(
            "Calcule les droits d'un ménage (OpenFisca-France + paramètres Relais datés et "
            "sourcés) et explique chaque étape : valeur, date d'effet, source, statut "
            "(vérifié ou estimation)."
        ),
        lifespan=lifespan,
    )
    app.state.relais = state

    @app.exception_handler(RequestValidationError)
    async def invalid_input(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": (e.get("ctx") or {}).get("field") or _field_name(tuple(e.get("loc", ()))),
                "message": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": errors})

    @app.get(
        "/health",
        response_model=HealthResponse,
        responses={
            503: {"model": NotReadyResponse, "description": "Moteur en cours de chargement"}
        },
    )
    async def health() -> Any:
        if state.engine is None:
            body = dict(NOT_READY)
            if state.error:
                body = {"status": "error", "detail": state.error}
            return JSONResponse(status_code=503, content=body)
        return HealthResponse(
            status="ok",
            openfisca_france=state.engine.versions["openfisca_france"],
            warmup_seconds=state.warmup_seconds,
        )

    @app.get("/v1/rights", response_model=list[CatalogueEntry])
    async def rights() -> list[CatalogueEntry]:
        return CATALOGUE

    @app.post(
        "/v1/evaluate",
        response_model=EvaluateResponse,
        responses={
            422: {
                "model": ValidationErrorResponse,
                "description": "Entrée invalide ; le champ fautif est nommé",
            },
            500: {
                "model": NotReadyResponse,
                "description": "Calcul impossible (rien n'est inventé)",
            },
            503: {"model": NotReadyResponse, "description": "Moteur pas encore prêt"},
        },
    )
    async def evaluate(body: EvaluateRequest) -> Any:
        if state.engine is None or state.batcher is None:
            return JSONResponse(status_code=503, content=NOT_READY)
        try:
            computed = await state.batcher.compute(body)
            results = explain(state.engine.tax_benefit_system, body, computed, commune)
        except Exception:  # never a made-up answer: the caller offers a person instead
            log.exception("evaluation failed")
            return JSONResponse(status_code=500, content=CALCULATION_FAILED)
        return EvaluateResponse(
            date=body.date,
            commune_insee=body.commune_insee,
            results=results,
            engine=state.engine.versions,
        )

    return app
