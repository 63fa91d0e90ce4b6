"""Process-wide objects the HTTP apps (API, Connect pages, dashboard) share, created once by the app factory."""
