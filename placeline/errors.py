"""One exception tree for placeline. Pages and the CLI catch ``PlacelineError`` and show its
message; anything else is a bug. Classes also inherit the matching builtin, as geopy does, so
callers that only know builtins still catch them."""


class PlacelineError(Exception):
    """Base class: the message is meant for the user, in one line."""


class InputError(PlacelineError, ValueError):
    """The text, file or option given cannot be analysed (empty, binary, too large, bad date…)."""


class FetchError(PlacelineError, OSError):
    """A URL could not be fetched or was refused."""


class GeocoderError(PlacelineError, RuntimeError):
    """An online geocoder failed; the analysis goes on offline and reports it."""


class StoreError(PlacelineError, RuntimeError):
    """The project database cannot be used (corrupt, newer schema, locked)."""
