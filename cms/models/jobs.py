"""Durable background jobs, enqueued in the same transaction as the write that causes them."""

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # gave up after its last attempt


class Job(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=64)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.PENDING)
    # Not before this time: retries back off by pushing it later.
    run_at = fields.DatetimeField()
    attempts = fields.IntField(default=0)
    max_attempts = fields.IntField(default=5)
    last_error = fields.TextField(null=True)
    # A running job whose lease has passed was abandoned (its process died): it runs again.
    locked_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "job"
        indexes = (("status", "run_at"),)
