"""sdkgen: turn an OpenAPI description into a typed, documented Python SDK."""

__version__ = "0.1.0"
