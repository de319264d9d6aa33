"""gunicorn settings for aidmap, read from the environment: `gunicorn -c gunicorn.conf.py`.

Web processes keep no state of their own (data in PostgreSQL, cached aggregates in Redis), so any number of
them may run on any number of machines behind one load balancer.
"""

import multiprocessing
import os

wsgi_app = "aidmap.wsgi:application"

# Where to listen: a TCP address (`0.0.0.0:8000` behind a proxy on another machine) or `unix:/run/aidmap.sock`.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers: the pages are CPU-bound and short. About (2 x cores) + 1, capped by memory (~100 MB each).
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart each worker now and then, staggered, so slow growth of a process never adds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# One line per request on stdout with the time it took (microseconds, %(D)s); GUNICORN_ACCESS_LOG="" turns it off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn 25.1+ opens a control socket for `gunicornc` at one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl),
# so every instance on a machine would fight over it. Off unless GUNICORN_CONTROL_SOCKET names this one's own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# The proxy in front of gunicorn sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
