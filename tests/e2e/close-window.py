#!/usr/bin/env python3
"""Asks the X window titled ARGV[1] to close, the way a window manager's close button does
(a WM_DELETE_WINDOW client message), through libX11 by ctypes — the test display has no window
manager, and WebDriver's Close Window ends the session and the app with it instead.
    python3 tests/e2e/close-window.py Tokenwarden   (exit 1 when no such window)"""
import ctypes
import sys
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_uint, c_ulong, c_void_p

x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
x11.XOpenDisplay.argtypes = [c_char_p]
x11.XOpenDisplay.restype = c_void_p
x11.XDefaultRootWindow.argtypes = [c_void_p]
x11.XDefaultRootWindow.restype = c_ulong
x11.XQueryTree.argtypes = [c_void_p, c_ulong, POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ulong)), POINTER(c_uint)]
x11.XFetchName.argtypes = [c_void_p, c_ulong, POINTER(c_char_p)]
x11.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
x11.XInternAtom.restype = c_ulong
x11.XSendEvent.argtypes = [c_void_p, c_ulong, c_int, c_long, c_void_p]
x11.XFlush.argtypes = [c_void_p]
x11.XFree.argtypes = [c_void_p]

# Windows come and go while we walk the tree (WebKit's helpers, a window being destroyed): a
# request about one that is gone fails with BadWindow, which Xlib's default handler turns into an
# exit. Ignore such errors; the call reports failure and the window is skipped.
ERROR_HANDLER = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p)
x11.XSetErrorHandler.argtypes = [ERROR_HANDLER]
x11.XSetErrorHandler.restype = c_void_p
ignore_errors = ERROR_HANDLER(lambda _display, _event: 0)


class ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("window", c_ulong),
        ("message_type", c_ulong),
        ("format", c_int),
        ("data", c_long * 5),
        ("pad", c_long * 12),  # XEvent is 24 longs; the server reads a whole one.
    ]


def windows(display, window):
    root, parent, children, count = c_ulong(), c_ulong(), POINTER(c_ulong)(), c_uint()
    if not x11.XQueryTree(display, window, byref(root), byref(parent), byref(children), byref(count)):
        return
    found = [children[i] for i in range(count.value)]
    if children:
        x11.XFree(children)
    for child in found:
        yield child
        yield from windows(display, child)


def main():
    title = sys.argv[1].encode()
    display = x11.XOpenDisplay(None)
    if not display:
        sys.exit("close-window: cannot open the display")
    x11.XSetErrorHandler(ignore_errors)
    wm_protocols = x11.XInternAtom(display, b"WM_PROTOCOLS", 0)
    wm_delete = x11.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    closed = 0
    for window in windows(display, x11.XDefaultRootWindow(display)):
        name = c_char_p()
        if x11.XFetchName(display, window, byref(name)) and name.value == title:
            event = ClientMessage(type=33, window=window, message_type=wm_protocols, format=32)  # 33: ClientMessage
            event.data[0] = wm_delete
            x11.XSendEvent(display, window, 0, 0, byref(event))
            closed += 1
    x11.XFlush(display)
    sys.exit(0 if closed else 1)


main()
