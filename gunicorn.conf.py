"""gunicorn settings read from the repository root (gunicorn loads ./gunicorn.conf.py by default).

The access log masks the secret tokens of reset, confirmation, unsubscribe and calendar links (SECURITY.md).
"""

logger_class = "claimkit.web.log_masking.MaskingLogger"
