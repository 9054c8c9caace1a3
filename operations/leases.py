"""A lock several machines share, that expires if its holder dies: in Redis with REDIS_URL, else in the database.

The holder renews it well before it expires; another process takes it only once it
has expired (or been released), so at most one holds it at a time.
"""

import contextlib
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Protocol

import redis
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from redis.exceptions import LockError

from clinic.failures import cause

from .models import Lease

logger = logging.getLogger(__name__)


class SharedLease(Protocol):
    holder: str

    def hold(self) -> bool:
        """Take the lease, or renew it if this process holds it; False if another process does."""

    def release(self) -> None: ...


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DatabaseLease:
    def __init__(self, name: str, ttl: timedelta, holder: str | None = None):
        self.name, self.ttl, self.holder = name, ttl, holder or holder_id()

    def hold(self) -> bool:
        now = timezone.now()
        try:
            # One conditional UPDATE: ours to renew, or anyone's once expired.
            mine_or_expired = Q(holder=self.holder) | Q(expires_at__lte=now)
            taken = Lease.objects.filter(mine_or_expired, name=self.name)
            if taken.update(holder=self.holder, expires_at=now + self.ttl):
                return True
            with transaction.atomic():
                Lease.objects.create(name=self.name, holder=self.holder, expires_at=now + self.ttl)
            return True
        except IntegrityError:
            return False  # another process holds it
        except DatabaseError as error:
            logger.warning("Lease %s not held: the database failed (%s).", self.name, cause(error))
            return False

    def release(self) -> None:
        # If the database is down, the lease frees itself when its time runs out.
        with contextlib.suppress(DatabaseError):
            Lease.objects.filter(name=self.name, holder=self.holder).delete()


class RedisLease:
    def __init__(self, name: str, ttl: timedelta, holder: str | None = None, url: str | None = None):
        self.name, self.holder = name, holder or holder_id()
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        client = redis.Redis.from_url(url or settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        # redis-py's Lock: SET NX PX to take it, a script that checks the token to renew or release it.
        self.lock = client.lock(f"{prefix}:lease:{name}", timeout=ttl.total_seconds(), thread_local=False)

    def hold(self) -> bool:
        try:
            if self.lock.local.token == self.holder.encode():
                self.lock.reacquire()
                return True
            return self.lock.acquire(blocking=False, token=self.holder)
        except LockError:  # it expired and another process took it
            self.lock.local.token = None
            return False
        except redis.RedisError as error:
            logger.warning("Lease %s not held: Redis failed (%s).", self.name, cause(error))
            return False

    def release(self) -> None:
        # Expired, or Redis unreachable: it frees itself when its time runs out.
        with contextlib.suppress(redis.RedisError):
            self.lock.release()


def lease(name: str, ttl: timedelta) -> SharedLease:
    """Redis when REDIS_URL is set (the machines share it already), else the database."""
    return RedisLease(name, ttl) if settings.REDIS_URL else DatabaseLease(name, ttl)
