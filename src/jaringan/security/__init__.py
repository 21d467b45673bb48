"""What a deployment needs around the pages: the Content-Security-Policy, compression of public pages
and login throttling (see ``middleware`` and ``throttle``)."""
