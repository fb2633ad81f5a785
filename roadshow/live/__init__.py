"""Live roadshow rooms over Socket.IO: presenter queue, timers, Q&A, moderation."""
