"""gunicorn's settings for APS (deploy/aps-web.service), read from the environment file.

GUNICORN_BIND: where the server listens: 127.0.0.1:8000 when nginx runs on the same host,
the private address (10.0.0.11:8000…) of each application server behind a shared nginx.
GUNICORN_WORKERS: processes answering requests (synchronous: one request at a time each).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Pages are CPU work (templates, the sheet's PDF, the .xlsx export) on synchronous workers.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
# Above the slowest request on purpose (a 13,000-line export takes about 4 s; the bulk PDF
# runs on the worker): a request still running after this is stuck and its worker restarts.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# nginx keeps the client's connection; gunicorn's own may close soon after each answer.
keepalive = 5
# A worker is replaced after so many requests (jitter: not all at once), which bounds the
# memory WeasyPrint and openpyxl leave behind.
max_requests = 1000
max_requests_jitter = 100
# The request line and headers: gunicorn's own bounds, stated (README, "Limites de chaque
# requête"); nginx refuses larger bodies before they reach us.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# The heartbeat file of each worker in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm"
# nginx logs every request; gunicorn logs its errors to journald (stderr).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Only nginx may tell which scheme the client used (Django reads X-Forwarded-Proto when
# BEHIND_TLS_PROXY is set): the addresses of the proxies, comma-separated.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "aps"
# No control socket (gunicorn ≥ 25 makes one in the home directory, read-only under the
# unit's hardening): systemctl reload aps-web sends the HUP that reloads the workers.
control_socket_disable = True
