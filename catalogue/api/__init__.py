"""The JSON API under ``/api/v1``: a blueprint per area (resources, statistics, the
council's review, search); ``openapi`` serves the one document that describes them all."""
