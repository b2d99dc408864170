"""`make test-at WHEN=...`: every Python process of a test run sees its wall clock at WHEN.

Not a fixture: the hubs, centrals and command lines a test starts are processes of their own,
so the shift must be in each of them. Python imports `sitecustomize` at start-up from this
folder (on PYTHONPATH); the first process turns WHEN into an offset in seconds, and every
process it starts inherits that offset, so all of them agree on the time as it runs on.

`datetime.datetime`/`datetime.date` become subclasses whose now(), utcnow() and today() are
shifted, and time.time()/time_ns() move with them (signed cookies carry time.time()).
Monotonic clocks, sleeps and timeouts are untouched, and so are PostgreSQL and Chromium.

Why: a test that passed on the day it was written can fail on another (a "yesterday" that is in
a closed week only on Mondays). Run the suite at a Sunday night, a month's or a year's end.
"""
import datetime as _dt
import os
import time as _time

_WHEN, _SECONDS = "HUB_TEST_WHEN", "HUB_TEST_SHIFT_SECONDS"

if os.environ.get(_WHEN) and not os.environ.get(_SECONDS):
    _target = _dt.datetime.fromisoformat(os.environ[_WHEN])
    if _target.tzinfo is None:
        _target = _target.replace(tzinfo=_dt.timezone.utc)
    os.environ[_SECONDS] = str(round(_target.timestamp() - _time.time()))

if os.environ.get(_SECONDS):
    _shift = int(os.environ[_SECONDS])
    _delta = _dt.timedelta(seconds=_shift)
    _RealDatetime, _RealDate = _dt.datetime, _dt.date

    class _Either(type):
        # isinstance(x, datetime.datetime) stays true for the real type's values too.
        def __instancecheck__(cls, value):
            return isinstance(value, cls.__mro__[1])

        def __subclasscheck__(cls, other):
            return issubclass(other, cls.__mro__[1])

    class _ShiftedDatetime(_RealDatetime, metaclass=_Either):
        @classmethod
        def _from(cls, real):
            # An instance of this class: C extensions that check the type by the module's
            # name (cryptography's certificate builder) then accept what now() gives.
            return cls(real.year, real.month, real.day, real.hour, real.minute, real.second,
                       real.microsecond, real.tzinfo, fold=real.fold)

        @classmethod
        def now(cls, tz=None):
            return cls._from(_RealDatetime.now(tz) + _delta)

        @classmethod
        def utcnow(cls):
            return cls._from(_RealDatetime.utcnow() + _delta)

        @classmethod
        def today(cls):
            return cls._from(_RealDatetime.today() + _delta)

    class _ShiftedDate(_RealDate, metaclass=_Either):
        @classmethod
        def today(cls):
            return (_RealDatetime.now() + _delta).date()

    _dt.datetime, _dt.date = _ShiftedDatetime, _ShiftedDate
    _real_time, _real_time_ns = _time.time, _time.time_ns
    _time.time = lambda: _real_time() + _shift
    _time.time_ns = lambda: _real_time_ns() + _shift * 1_000_000_000
