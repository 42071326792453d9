"""Optional OpenTelemetry tracing, off unless ``MUTUALIS_TRACING_ENABLED=true``.

When enabled, the app installs a global tracer provider exporting spans over OTLP/HTTP to
``OTEL_EXPORTER_OTLP_ENDPOINT`` (the standard OpenTelemetry variables apply: headers, batch
delays, sampler). FastAPI's native telemetry then opens one server span per request, named by
the route template and continuing the caller's ``traceparent``; outgoing httpx calls (gateway →
service, service → service, web → gateway) are instrumented so the trace crosses every hop.
The request id stays the key of the logs; traces add timings across hops.
"""

from __future__ import annotations

import logging

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger("mutualis.tracing")
_configured: str | None = None


class TracingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUALIS_TRACING_", extra="ignore")

    enabled: bool = Field(False, description="export OpenTelemetry traces over OTLP/HTTP")


def configure_tracing(app_name: str, *, settings: TracingSettings | None = None) -> bool:
    """Install tracing for this process once (the first app built wins); say if it is on."""
    global _configured
    settings = settings or TracingSettings()
    if not settings.enabled:
        return False
    if _configured is not None:
        return True
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": f"mutualis-{app_name}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    _configured = app_name
    logger.info("OpenTelemetry tracing enabled for %s", app_name)
    return True
