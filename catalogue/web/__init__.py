"""The catalogue in the browser: server-rendered pages by area, one blueprint each.

``security`` (CSRF, cookies, headers, sign-in throttling) and ``pages`` (access guards,
flashing service errors in the visitor's language) are shared by every area.
"""
