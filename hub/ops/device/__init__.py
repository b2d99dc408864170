"""Running on the device: health checks, the systemd unit, mDNS discovery, QR codes, logs.

No Flask here: the facilitator dashboard and the `hub` commands call these functions.
"""
