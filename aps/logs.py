"""Structured logs: with ``LOG_FORMAT=json`` (aps/settings.py) every log line is one JSON
object, carrying the ids of the request or task it was written for (aps.activity_log sets
them), never more about the person than their user id.

Pure Python: aps/settings.py imports this module before Django is set up.
"""

import contextvars
import copy
import datetime
import json
import logging
import re

# What the line being written belongs to: set by aps.activity_log for the length of a request
# or of a task run, read by the formatter.
request_id = contextvars.ContextVar("request_id", default=None)
user_id = contextvars.ContextVar("user_id", default=None)
task_id = contextvars.ContextVar("task_id", default=None)

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def scrub_emails(text: str) -> str:
    """The text with every e-mail address replaced: log lines and error reports name a person
    by their id, and some messages quote the addresses an e-mail was for."""
    return EMAIL.sub("[e-mail]", text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the ids of the current
    request or task, the record's ``fields`` (a dict passed as ``extra={"fields": …}``) and the
    traceback. Other ``extra`` values are left out: Django passes the request object itself,
    whose text holds the query string."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_emails(record.getMessage()),
        }
        for name, var in (("request_id", request_id), ("user_id", user_id), ("task_id", task_id)):
            if (value := var.get()) is not None:
                line[name] = value
        # Django's "Not Found" and "Internal Server Error" lines are written once the
        # middleware are done, out of the request's context: their record holds the request.
        request = getattr(record, "request", None)
        if "request_id" not in line and getattr(request, "request_id", None):
            line["request_id"] = request.request_id
            if getattr(request, "log_user_id", None) is not None:
                line["user_id"] = request.log_user_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = scrub_emails(self.formatException(record.exc_info))
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class DropTaskChatter(logging.Filter):
    """Django's own "task started" and "task finished" lines (``django.tasks``, INFO): the task
    worker sets that logger's level itself, so a filter is the only way to keep one line per
    task run (aps.tasks'). Failures (ERROR, with the traceback) still pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "django.tasks" and record.levelno < logging.WARNING)


def json_logging(config: dict) -> dict:
    """The logging configuration ``config`` (a ``LOGGING`` dict) turned to JSON lines: every
    line through the console handler, Django's loggers included, and the request and task
    lines switched on."""
    config = copy.deepcopy(config)
    config.setdefault("formatters", {})["json"] = {"()": "aps.logs.JsonFormatter"}
    config.setdefault("filters", {})["drop_task_chatter"] = {"()": "aps.logs.DropTaskChatter"}
    handlers = config.setdefault("handlers", {})
    handlers["console"] = {
        **handlers.get("console", {"class": "logging.StreamHandler"}),
        "formatter": "json",
        "filters": ["drop_task_chatter"],
    }
    handlers["null"] = {"class": "logging.NullHandler"}
    loggers = config.setdefault("loggers", {})
    loggers.update(
        {
            "aps.requests": {"level": "INFO"},
            "aps.tasks": {"level": "INFO"},
            # Django's default configuration gives its loggers a text handler of their own:
            # through the root's instead.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # runserver's line for each request holds the query string; aps.requests says it.
            "django.server": {"handlers": ["null"], "propagate": False},
        }
    )
    return config
