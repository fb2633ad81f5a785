"""Live roadshow rooms over Socket.IO: models (issue 4)."""
