"""Pydantic models for every stored or served shape."""
