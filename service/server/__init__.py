"""How the service runs under gunicorn: the worker class that reads requests whole before the app
sees them and runs the engine's work in native threads (``worker.py``), the waiting room where
requests wait for a free engine (``waiting_room.py``), and the answers written straight to a socket
(``answers.py``). Only ``worker.py`` imports gevent."""
