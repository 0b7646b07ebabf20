"""Flask extensions, created unbound and initialised by the app factory."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from core import packet_json
from models.base import db

migrate = Migrate()
# Unreadable payloads are answered, not dropped; packets are searched for bytes quickly (core/packet_json.py).
socketio = SocketIO(json=packet_json, serializer=packet_json.Packet)
login_manager = LoginManager()
csrf = CSRFProtect()
# No default limits: only the views that say so are limited (sign-in). Storage: core/config.py.
limiter = Limiter(key_func=get_remote_address)

__all__ = ["db", "migrate", "socketio", "login_manager", "csrf", "limiter"]
