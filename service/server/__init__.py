"""How the service runs under gunicorn: the worker class that reads requests before the engine
sees them (``worker.py``), where the engine's work runs (``offload.py``) and whether the process is
shutting down (``lifecycle.py``). Only ``worker.py`` imports gevent."""
